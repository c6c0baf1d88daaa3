"""The benchmark reads wrk's figures right and judges each target the way the issue states it."""

from __future__ import annotations

from tests.bench.measure_worker import RssSampler
from tests.bench.run_bench import without_nan
from tests.bench.targets import (
    Target,
    _worker_memory,
    statement_targets,
    throughput_targets,
)
from tests.bench.wrk import parse_wrk

WRK_OUTPUT = """Running 15s test @ http://127.0.0.1:41234/portfolio/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    30.12ms   10.01ms 120.00ms   80.00%
    Req/Sec   266.10     20.00   300.00     70.00%
  7983 requests in 15.01s, 80.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:    531.85
Transfer/sec:      5.33MB
BENCH not_ok 4
BENCH requests 7983
BENCH duration_us 15010000
BENCH p50_us 29500
BENCH p90_us 41000
BENCH p99_us 98000
"""


def test_wrk_summary_and_status_counts_are_read():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures["rps"] == 531.85
    assert figures["requests"] == 7983
    assert figures["p50_ms"] == 29.5 and figures["p99_ms"] == 98.0
    assert figures["not_ok"] == 4
    assert figures["socket_errors"] == 3


def load_row(**changes) -> dict:
    row = {"key": "portfolio_home", "name": "portfolio home", "rps": 620.0, "p50_ms": 25.0,
           "not_ok": 0, "socket_errors": 0, "generator": "wrk"}
    return {**row, **changes}


def test_throughput_met_only_when_every_answer_was_a_200():
    clean = throughput_targets({"rows": [load_row()]})[0]
    redirected = throughput_targets({"rows": [load_row(not_ok=12)]})[0]
    assert clean["met"] is True and clean["value"] == 620.0
    assert redirected["met"] is None
    assert "12 answers not 200" in redirected["note"]


def test_fallback_generator_is_named_on_the_target():
    row = throughput_targets({"rows": [load_row(generator="python-fallback", rps=90.0)]})[0]
    assert row["met"] is False
    assert "fallback" in row["note"]


def page(key: str, statements: int, low: int | None = None) -> dict:
    return {"key": key, "name": key, "role": "lead", "baseline": False,
            "statements_max": statements, "statements_min": low or statements,
            "db_ms_median": 1.0}


def test_statements_judged_per_page_and_for_flatness():
    results = {row["key"]: row for row in statement_targets(
        [page("matrix_60", 9), page("matrix_600", 11, low=9)])}
    assert results["statements.matrix_60"]["met"] is True
    assert results["statements.matrix_600"]["met"] is False
    assert "varied 9–11" in results["statements.matrix_600"]["note"]
    assert results["statements.flat"]["value"] == 2 and results["statements.flat"]["met"] is False


def test_limits_compare_as_written():
    assert Target("a", "a", "≤", 5, "ms").judge(5.0)["met"] is True
    assert Target("b", "b", "<", 30, "MB").judge(30.0)["met"] is False
    assert Target("c", "c", "≥", 0.8, "×").judge(float("nan"))["met"] is None


def test_json_has_no_nan():
    assert without_nan({"a": [float("nan"), 1.0]}) == {"a": [None, 1.0]}


def test_worker_memory_is_shown_whole_and_split():
    assert _worker_memory({"peak_mb": 105.4}) == "105 MB"
    assert _worker_memory({"peak_mb": 105.4, "peak_private_mb": 86.2, "peak_file_mb": 26.6}) \
        == "105 MB (at most 86 MB allocated, 27 MB mapped files)"


def test_the_sampler_sees_memory_this_process_allocates():
    sampler = RssSampler(interval=0.001)
    sampler.start()
    before = sampler.peaks["RssAnon"]
    block = b"x" * (64 * 1024 * 1024)  # every page written
    split = sampler.stop()
    del block
    assert split["peak_private_mb"] * 1024 >= before + 60 * 1024
    assert split["peak_file_mb"] > 0

"""Issue 14's targets, each judged against one run's figures, and the printed tables."""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

MS_TARGETS = (("portfolio_home", 5), ("entry_page", 5), ("notifications", 3), ("audit_log", 3),
              ("developer_dashboard", 8), ("lead_dashboard", 20), ("matrix_60", 12),
              ("matrix_600", 60), ("search_developer", 50), ("search_lead", 50))
RPS_TARGETS = (("portfolio_home", 500), ("developer_dashboard", 300), ("matrix_60", 150))
MAX_STATEMENTS = 10
COMPARE = {"≤": operator.le, "<": operator.lt, "≥": operator.ge, "=": operator.eq}


@dataclass
class Target:
    key: str
    name: str
    sign: str
    limit: float
    unit: str

    def judge(self, value: float | None, detail: str = "", note: str = "") -> dict:
        measured = value is not None and not (isinstance(value, float) and math.isnan(value))
        met = COMPARE[self.sign](value, self.limit) if measured else None
        return {"key": self.key, "name": self.name, "target": f"{self.sign} {self.limit:g}"
                f"{' ' + self.unit if self.unit else ''}", "limit": self.limit, "unit": self.unit,
                "value": value if measured else None, "detail": detail, "met": met,
                "note": note}


def _by_key(rows: list[dict]) -> dict[str, dict]:
    return {row["key"]: row for row in rows}


def server_time_targets(in_process: list[dict]) -> list[dict]:
    pages = _by_key(in_process)
    results = []
    for key, limit in MS_TARGETS:
        page = pages[key]
        target = Target(f"server_ms.{key}", f"in-process server time, median: {page['name']}",
                        "≤", limit, "ms")
        if "error" in page:
            results.append(target.judge(None, note=page["error"]))
            continue
        results.append(target.judge(page["median_ms"], f"{page['median_ms']:.1f} ms "
                                                       f"({page['requests']} requests)"))
    return results


def throughput_targets(load: dict | None) -> list[dict]:
    rows = _by_key(load["rows"]) if load else {}
    results = []
    for key, limit in RPS_TARGETS:
        row = rows.get(key)
        target = Target(f"rps.{key}", "gunicorn -w 2 under load: "
                        f"{row['name'] if row else key.replace('_', ' ')}", "≥", limit, "req/s")
        if not row or "error" in row:
            results.append(target.judge(None, note=row["error"] if row else
                                        "load part not run"))
            continue
        bad = row["not_ok"] + row["socket_errors"]
        note = "" if row["generator"] == "wrk" else "Python fallback generator (wrk missing)"
        if bad:
            note = (note + "; " if note else "") + f"{bad} answers not 200 or socket errors"
        results.append(target.judge(row["rps"] if not bad else None,
                                    f"{row['rps']:.0f} req/s, p50 {row['p50_ms']:.0f} ms",
                                    note))
    return results


def statement_targets(in_process: list[dict]) -> list[dict]:
    results = []
    for page in in_process:
        if page["baseline"]:
            continue
        target = Target(f"statements.{page['key']}", f"SQL statements per request: "
                        f"{page['name']}", "≤", MAX_STATEMENTS, "")
        if "error" in page:
            results.append(target.judge(None, note=page["error"]))
            continue
        steady = page["statements_min"] == page["statements_max"]
        results.append(target.judge(
            page["statements_max"], f"{page['statements_max']} ({page['db_ms_median']:.1f} ms "
            "in the database)", "" if steady else
            f"varied {page['statements_min']}–{page['statements_max']} between requests"))
    pages = _by_key(in_process)
    small, large = pages["matrix_60"], pages["matrix_600"]
    flat = Target("statements.flat", "SQL statements flat in data size: progress matrix, "
                  "large cohort minus small", "=", 0, "")
    if "error" in small or "error" in large:
        results.append(flat.judge(None, note="a matrix page failed"))
        return results
    results.append(flat.judge(
        large["statements_max"] - small["statements_max"],
        f"{small['statements_max']} ({small['name']}), {large['statements_max']} "
        f"({large['name']})"))
    return results


def _worker_memory(worker: dict) -> str:
    """The worker's peak, with what it allocated and what was files mapped into it."""
    text = f"{worker.get('peak_mb', 0):.0f} MB"
    if "peak_private_mb" in worker:
        text += (f" (at most {worker['peak_private_mb']:.0f} MB allocated, "
                 f"{worker['peak_file_mb']:.0f} MB mapped files)")
    return text


def heavy_targets(heavy: dict | None, ids: dict) -> list[dict]:
    big, small = ids.get("big_cohort_candidates", 600), ids.get("cohort_candidates", 60)
    megabytes = heavy["upload"]["megabytes"] if heavy else 200
    xlsx_target = Target("xlsx.seconds", f"XLSX matrix {big} × 25", "≤", 1, "s")
    wall = Target("zip.wall_seconds", f"cohort ZIP, {small} candidates: wall time", "≤", 60,
                  "s")
    rss = Target("zip.worker_peak_mb", "cohort ZIP: worker peak RSS", "≤", 100, "MB")
    ratio = Target("zip.throughput_vs_zip0", "cohort ZIP: writing throughput ÷ `zip -0`",
                   "≥", 0.8, "×")
    upload = Target("upload.rss_growth_mb", f"{megabytes} MB upload: serving worker RSS growth",
                    "<", 30, "MB")
    if not heavy:
        return [t.judge(None, note="heavy part not run") for t in (xlsx_target, wall, rss,
                                                                   ratio, upload)]
    xlsx, archive, sent = heavy["xlsx"], heavy["zip"], heavy["upload"]
    worker, zipping = archive["worker"], archive["zipping"]
    upload_ok = sent["status"] in (200, 302)
    return [
        xlsx_target.judge(xlsx["median_s"], f"{xlsx['median_s']:.2f} s (median of "
                          f"{len(xlsx['runs_s'])})"),
        wall.judge(worker.get("seconds"), f"{worker.get('seconds', 0):.1f} s, "
                   f"{archive['archive_bytes'] / 1e6:.1f} MB archive"),
        rss.judge(worker.get("peak_mb"), _worker_memory(worker)),
        ratio.judge(archive.get("throughput_vs_zip0"),
                    f"{archive.get('throughput_vs_zip0', 0):.2f}× on "
                    f"{zipping.get('bytes', 0) / 1e6:.1f} MB in {zipping.get('files', 0)} files",
                    "" if "zip0_seconds" in zipping else "zip not installed"),
        upload.judge(sent["rss_growth_mb"] if upload_ok else None,
                     f"{sent['rss_growth_mb']:.1f} MB (HTTP {sent['status']}, "
                     f"{sent['seconds']:.1f} s)",
                     "" if upload_ok else f"upload answered HTTP {sent['status']}"),
    ]


def verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "not measured"}[met]


def print_run(run: dict) -> None:
    print(f"\n=== {run['database']} {run['database_version']}: {run['entries']:,} entries; "
          f"load average (1 min) {run['load_average']['one_minute_min']:.1f}–"
          f"{run['load_average']['one_minute_max']:.1f} on {run['load_average']['cpu_count']} "
          "cores during the run")
    if run.get("in_process"):
        print(f"\nIn-process, one thread, WSGI call after warm-up "
              f"({run['in_process_warm_up']} requests):")
        print(f"{'page':<44}{'median ms':>10}{'× bare':>8}{'statements':>12}{'db ms':>8}")
        bare = run["in_process"][0]["median_ms"]
        for page in run["in_process"]:
            if "error" in page:
                print(f"{page['name']:<44}  FAILED: {page['error']}")
                continue
            statements = "" if page["role"] == "bare" else str(page["statements_max"])
            db_ms = "" if page["role"] == "bare" else f"{page['db_ms_median']:.1f}"
            print(f"{page['name']:<44}{page['median_ms']:>10.2f}{page['median_ms'] / bare:>7.0f}×"
                  f"{statements:>12}{db_ms:>8}")
    load = run.get("load")
    if load:
        print(f"\nUnder load: gunicorn -w {load['workers']}, {load['generator_version']} "
              f"-t{load['threads']} -c{load['connections']}, {load['seconds']:g} s per page:")
        if load["fallback"]:
            print("  NOTE: wrk is not installed, so the Python fallback load generator ran; it "
                  "competes with the server for the CPU and understates req/s.")
        print(f"{'page':<44}{'req/s':>8}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'not 200':>9}")
        for row in load["rows"]:
            if "error" in row:
                print(f"{row['name']:<44}  FAILED: {row['error']}")
                continue
            print(f"{row['name']:<44}{row['rps']:>8.0f}{row['p50_ms']:>8.1f}{row['p90_ms']:>8.1f}"
                  f"{row['p99_ms']:>8.1f}{row['not_ok'] + row['socket_errors']:>9}")
    print(f"\nTargets ({run['database']}):")
    for target in run["targets"]:
        note = f"  [{target['note']}]" if target["note"] else ""
        print(f"  {verdict(target['met']):<13}{target['name']:<78}{target['target']:<12}"
              f"{target['detail'] or '—'}{note}")

"""`make bench`: measure the main pages and heavy operations against issue 14's targets.

For each database (SQLite; PostgreSQL too when BENCH_DATABASE_URL names a scratch database,
which is emptied first), on freshly seeded scale data:
  1. in-process: each page's median server time in one thread (WSGI call after warm-up), with
     its SQL statement count and database time per request;
  2. under load: gunicorn -w 2 on loopback driven by `wrk -t2 -c16` (the Python load generator
     only if wrk is missing, and the output says so), with a bare hello-world app and the
     sign-in page as baselines in the same run;
  3. heavy: XLSX matrix 600 × 25, the cohort ZIP export job (wall time, worker peak RSS,
     writing throughput against `zip -0`) and a 200 MB upload (serving worker RSS growth).
Prints every target as met or missed and writes the same figures, with the commit, the
machine and the load average during the run, to tests/bench/results.json.

Not part of `make test`: the figures are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.bench import environment, heavy
from tests.bench.pages import LOAD_PAGES, credentials, pages
from tests.bench.server import (
    HOST,
    ROOT,
    Session,
    free_port,
    start_gunicorn,
    stop,
    wait_until_up,
)
from tests.bench.targets import (
    heavy_targets,
    print_run,
    server_time_targets,
    statement_targets,
    throughput_targets,
)
from tests.bench.wrk import drive, wrk_version

PARTS = ("inprocess", "load", "heavy")
WORKERS = 2


def flask(env: dict, *args: str) -> None:
    result = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "portfolio",
                             *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stderr[-2000:]}")


def prepare(database: str, scale: str, work: Path) -> tuple[dict, dict, str]:
    """Seed a fresh database; return the environment, the ids and the database version."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(PORTFOLIO_INSTANCE_PATH=str(work / "instance"), PYTHONPATH=str(ROOT),
               PORTFOLIO_SECRET_KEY="bench-" + secrets.token_hex(16),
               PORTFOLIO_LOGIN_MAX_FAILURES_PER_ADDRESS="1000")
    if database == "postgresql":
        url = os.environ["BENCH_DATABASE_URL"]
        environment.empty_postgres(url)
        env["DATABASE_URL"] = url
        version = environment.postgres_version(url)
    else:
        version = environment.machine(None)["sqlite"]
    print(f"[{database}] preparing {scale} data in {work} ...", flush=True)
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    ids = heavy.run_module(env, "tests.bench.setup_data", scale)
    print(f"[{database}] {ids['entries']:,} entries ready in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return env, ids, version


def in_process(env: dict, ids: dict, requests: int) -> dict:
    print("  in-process timings ...", flush=True)
    return heavy.run_module(env, "tests.bench.inprocess", json.dumps(ids), str(requests),
                            progress=True)


def warm(session: Session, path: str, times: int = 10) -> str | None:
    """Warm both workers and prove the cookie still opens the page (a 302 would not count);
    return what went wrong, if anything."""
    for _ in range(times):
        response, _ = session.request("GET", path)
        if response.status != 200:
            return f"answered HTTP {response.status} before the load run"
    return None


def under_load(ids: dict, ports: dict, sessions: dict, args) -> dict:
    by_key = {page.key: page for page in pages(ids)}
    rows = []
    for key in LOAD_PAGES:
        page = by_key[key]
        session = sessions.get(page.role) or Session(ports["bare" if page.role == "bare"
                                                         else "app"])
        cookie = session.cookie if page.role in sessions else None  # baselines: anonymous
        failure = warm(session, page.path)
        if failure:
            rows.append({"key": key, "name": page.name, "path": page.path, "error": failure})
            print(f"  under load: {page.name}: {failure}", flush=True)
            continue
        load_before = environment.load_average()
        figures = drive(HOST, session.port, page.path, cookie,
                        threads=args.threads, connections=args.connections,
                        seconds=args.seconds)
        rows.append({"key": key, "name": page.name, "path": page.path,
                     "load_average_before": load_before, **figures})
        print(f"  under load: {page.name}: {figures['rps']:.0f} req/s", flush=True)
    version = wrk_version()
    return {"workers": WORKERS, "threads": args.threads, "connections": args.connections,
            "seconds": args.seconds, "fallback": version is None,
            "generator_version": version or "Python fallback (tests/bench/loadgen.py)",
            "rows": rows}


def heavy_part(env: dict, ids: dict, server, sessions: dict, work: Path, upload_mb: int) -> dict:
    print("  XLSX, upload and ZIP ...", flush=True)
    return {"xlsx": heavy.xlsx_seconds(sessions["lead"], ids["big_cohort_id"]),
            "upload": heavy.upload_memory(server, sessions["candidate"], upload_mb),
            "zip": heavy.cohort_zip(env, sessions["lead"], ids["cohort_id"], work)}


def run_database(database: str, args) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"portfolio-bench-{database}-"))
    try:
        env, ids, version = prepare(database, args.scale, work)
        run = {"database": database, "database_version": version, "entries": ids["entries"],
               "ids": ids}
        with environment.LoadSampler() as sampler:
            run.update(measure(env, ids, work, args))
        run["load_average"] = sampler.summary()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    in_proc = run.get("in_process")
    run["targets"] = ((server_time_targets(in_proc) if in_proc else [])
                      + throughput_targets(run.get("load"))
                      + (statement_targets(in_proc) if in_proc else [])
                      + heavy_targets(run.get("heavy"), ids))
    return run


def measure(env: dict, ids: dict, work: Path, args) -> dict:
    result: dict = {}
    if "inprocess" in args.parts:
        figures = in_process(env, ids, args.requests)
        result.update(in_process=figures["pages"], in_process_warm_up=figures["warm_up"])
    if not {"load", "heavy"} & set(args.parts):
        return result
    ports = {"app": free_port(), "bare": free_port()}
    app_server = start_gunicorn(env, "wsgi:app", ports["app"], WORKERS)
    bare_server = start_gunicorn(env, "tests.bench.bare_app:app", ports["bare"], WORKERS)
    try:
        wait_until_up(ports["app"], "/healthz")
        wait_until_up(ports["bare"], "/hello")
        sessions = {role: Session(ports["app"]).login(email, password)
                    for role, (email, password) in credentials(ids).items()}
        if "load" in args.parts:
            result["load"] = under_load(ids, ports, sessions, args)
        if "heavy" in args.parts:
            result["heavy"] = heavy_part(env, ids, app_server, sessions, work, args.upload_mb)
    finally:
        stop(app_server)
        stop(bare_server)
    return result


def without_nan(value):
    """JSON has no NaN: a figure that could not be measured is written as null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nan(item) for item in value]
    return value


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("full", "small"), default="full",
                        help="full: flask seed-scale's default size; small: a quick check")
    parser.add_argument("--databases", default=None,
                        help="comma-separated: sqlite,postgresql (default: sqlite, plus "
                             "postgresql when BENCH_DATABASE_URL is set)")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"comma-separated subset of {','.join(PARTS)}")
    parser.add_argument("--requests", type=int, default=50,
                        help="in-process timed requests per page, after warm-up")
    parser.add_argument("--seconds", type=float, default=15, help="wrk duration per page")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--output", type=Path, default=None,
                        help="JSON file (default tests/bench/results.json; "
                             "results-small.json for --scale small)")
    args = parser.parse_args(argv)
    args.parts = [part for part in args.parts.split(",") if part]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    default = "sqlite,postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite"
    args.databases = [name for name in (args.databases or default).split(",") if name]
    if "postgresql" in args.databases and not os.environ.get("BENCH_DATABASE_URL"):
        parser.error("postgresql needs BENCH_DATABASE_URL (a database the benchmark may empty)")
    if args.output is None:
        name = "results.json" if args.scale == "full" else "results-small.json"
        args.output = ROOT / "tests" / "bench" / name
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    version = wrk_version()
    if "load" in args.parts and version is None:
        print("NOTE: wrk is not installed (apt-get install -y wrk); the load part falls back to "
              "the Python load generator, which shares the CPU with the server.", flush=True)
    report = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
              **environment.git_commit(), "scale": args.scale, "parts": args.parts,
              "machine": environment.machine(version),
              "load_average_at_start": environment.load_average(), "runs": []}
    for database in args.databases:
        run = run_database(database, args)
        report["runs"].append(run)
        if database == "postgresql":
            report["machine"]["postgresql"] = run["database_version"]
    report = without_nan(report)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    machine = report["machine"]
    print(f"\nCommit {report['commit'][:12]}"
          f"{' (with uncommitted changes)' if report['uncommitted_changes'] else ''}; "
          f"{machine['cpu_count']} × {machine['cpu_model']}, {machine['memory_gb']} GB; "
          f"Python {machine['python']}; SQLite {machine['sqlite']}; scale {args.scale}")
    for run in report["runs"]:
        print_run(run)
    print(f"\nFigures written to {args.output}")


if __name__ == "__main__":
    main()

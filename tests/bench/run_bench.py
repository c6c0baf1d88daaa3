"""`make bench`: serve the scale database with gunicorn (2 workers) on loopback, drive a bounded
load at each main page and at a bare Flask hello-world in the same run, and print latency
percentiles, throughput and each page's ratio to the bare route. Then measure the XLSX matrix
export (600 candidates × 25 competencies), the cohort ZIP export (peak memory; zipping
throughput against `zip -0`) and a 200 MB upload (memory growth of the serving worker).

Not part of `make test`: targets are reported as ratios, never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile
from pathlib import Path

from tests.bench.loadgen import run_load

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def flask(env, *args, capture=False) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "portfolio", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def start_gunicorn(env, target: str, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"{HOST}:{port}",
         "--timeout", "300", "--log-level", "warning", target],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(port: int, path: str) -> None:
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"server on port {port} did not start")


class Session:
    """A signed-in browser-like session (cookie jar of one cookie plus CSRF tokens)."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=600)
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("portfolio_session="):
                self.cookie = value.split(";", 1)[0]
        return response, data

    def csrf(self, path) -> str:
        _, page = self.request("GET", path)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        if not match:
            sys.exit(f"no CSRF token on {path}")
        return match.group(1).decode()

    def login(self, email, password):
        token = self.csrf("/account/login")
        body = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                       "password": password})
        response, _ = self.request("POST", "/account/login", body,
                                   {"Content-Type": "application/x-www-form-urlencoded"})
        if response.status != 302:
            sys.exit(f"could not sign in as {email}: {response.status}")
        return self


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def upload_200mb(session: Session, size: int) -> tuple[int, float]:
    """Stream a multipart upload of `size` bytes of plain text; return status and seconds."""
    token = session.csrf("/evidence/upload")
    boundary = "bench" + secrets.token_hex(8)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"training-log.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    line = b"Week 12, session 3: 6 x 150 m at 90 per cent, walk-back recovery, felt sharp.\n"
    connection = http.client.HTTPConnection(HOST, session.port, timeout=600)
    connection.putrequest("POST", "/evidence/upload")
    connection.putheader("Cookie", session.cookie)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    started = time.perf_counter()
    connection.send(head)
    block = line * (1024 * 1024 // len(line))
    sent = 0
    while sent < size:
        piece = block[: size - sent]
        connection.send(piece)
        sent += len(piece)
    connection.send(tail)
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("full", "small"), default="full")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--upload-mb", type=int, default=200)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="portfolio-bench-"))
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(PORTFOLIO_INSTANCE_PATH=str(work / "instance"), PORTFOLIO_SECRET_KEY="bench-" +
               secrets.token_hex(16), PYTHONPATH=str(ROOT),
               PORTFOLIO_LOGIN_MAX_FAILURES_PER_ADDRESS="1000")
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    print(f"Preparing {args.scale} data in {work} ...", flush=True)
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    ids = json.loads(subprocess.run(
        [sys.executable, "-m", "tests.bench.setup_data", args.scale], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
    print(f"  {ids['entries']:,} entries ready in {time.perf_counter() - started:.0f} s",
          flush=True)

    app_port, bare_port = free_port(), free_port()
    app_server = start_gunicorn(env, "wsgi:app", app_port)
    bare_server = start_gunicorn(env, "tests.bench.bare_app:app", bare_port)
    rows, extras = [], []
    try:
        wait_until_up(app_port, "/healthz")
        wait_until_up(bare_port, "/hello")
        candidate = Session(app_port).login(ids["candidate"], "portfolio-scale")
        developer = Session(app_port).login(ids["developer"], "portfolio-scale")
        lead = Session(app_port).login("lead@example.org", "portfolio-demo")
        pages = [
            ("bare hello-world", bare_port, "/hello", None),
            ("portfolio home", app_port, "/portfolio/", candidate),
            ("entry page", app_port, f"/portfolio/entries/{ids['entry_id']}", candidate),
            ("notifications", app_port, "/notifications/", candidate),
            ("review dashboard", app_port, "/reviews/dashboard", developer),
            ("cohort progress matrix", app_port, f"/exports/cohorts/{ids['cohort_id']}/progress",
             lead),
            ("cohort audit log", app_port, f"/reviews/cohorts/{ids['cohort_id']}/audit", lead),
        ]
        for name, port, path, session in pages:
            cookie = session.cookie if session else None
            run_load(name, HOST, port, path, cookie, 20, 2)  # warm-up
            rows.append(run_load(name, HOST, port, path, cookie, args.requests,
                                 args.connections))
            print(f"  measured {name}", flush=True)

        xlsx_times = []
        for _ in range(3):
            begun = time.perf_counter()
            response, data = lead.request(
                "GET", f"/exports/cohorts/{ids['big_cohort_id']}/progress.xlsx")
            xlsx_times.append(time.perf_counter() - begun)
            if response.status != 200:
                sys.exit(f"XLSX export failed: {response.status}")
        xlsx_seconds = sorted(xlsx_times)[1]
        extras.append(("XLSX matrix, 600 candidates × 25 competencies",
                       f"{xlsx_seconds:.2f} s (median of 3)", "≤ 3 s",
                       xlsx_seconds <= 3))

        before = {pid: peak_rss_mb(pid) for pid in worker_pids(app_server)}
        status, seconds = upload_200mb(candidate, args.upload_mb * 1024 * 1024)
        after = {pid: peak_rss_mb(pid) for pid in worker_pids(app_server)}
        growth = max(after[pid] - before.get(pid, after[pid]) for pid in after)
        extras.append((f"{args.upload_mb} MB upload: serving worker's peak memory growth",
                       f"{growth:.1f} MB (HTTP {status}, {seconds:.1f} s)", "< 30 MB",
                       growth < 30 and status in (200, 302)))

        token = lead.csrf(f"/exports/cohorts/{ids['cohort_id']}/progress")
        response, _ = lead.request(
            "POST", f"/exports/cohorts/{ids['cohort_id']}/archive",
            urllib.parse.urlencode({"csrf_token": token}),
            {"Content-Type": "application/x-www-form-urlencoded"})
        job_path = response.getheader("Location") or ""
        worker = json.loads(subprocess.run(
            [sys.executable, "-m", "tests.bench.measure_worker"], cwd=ROOT, env=env,
            capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
        job_id = re.search(r"/jobs/(\d+)", job_path).group(1)
        download, archive_bytes = lead.request("GET", f"/exports/jobs/{job_id}/download")
        archive_path = work / "cohort.zip"
        archive_path.write_bytes(archive_bytes)
        extras.append(("Cohort ZIP export job: worker peak memory",
                       f"{worker['peak_mb']:.0f} MB ({worker['seconds']:.1f} s, "
                       f"{len(archive_bytes) / 1e6:.1f} MB archive)", "≤ 150 MB",
                       worker["peak_mb"] <= 150))
        unpacked = work / "unpacked"
        with zipfile.ZipFile(archive_path) as archive:
            archive.extractall(unpacked)
        zipping = json.loads(subprocess.run(
            [sys.executable, "-m", "tests.bench.measure_zip", str(unpacked)], cwd=ROOT, env=env,
            capture_output=True, text=True, check=True).stdout)
        if "zip0_seconds" in zipping:
            ratio = zipping["zip0_seconds"] / zipping["ours_seconds"]
            extras.append(("ZIP writing throughput vs `zip -0` (same files)",
                           f"{ratio:.2f}× ({zipping['bytes'] / 1e6:.1f} MB, "
                           f"{zipping['files']} files)", "≥ 0.5×", ratio >= 0.5))
        else:
            extras.append(("ZIP writing throughput vs `zip -0`", "zip not installed", "≥ 0.5×",
                           None))
    finally:
        for server in (app_server, bare_server):
            server.terminate()
            server.wait(timeout=20)
    report(rows, extras, args)
    shutil.rmtree(work, ignore_errors=True)


def report(rows, extras, args) -> None:
    bare = rows[0]
    print()
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; gunicorn 2 workers; {args.requests} requests over "
          f"{args.connections} connections per page")
    print(f"{'page':<26}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'errors':>8}"
          f"{'p50 ratio':>11}  target ≤ 4×")
    for row in rows:
        ratio = row.p50 / bare.p50
        verdict = "" if row is bare else ("met" if ratio <= 4 else "MISSED")
        print(f"{row.name:<26}{row.p50:>9.1f}{row.percentile(95):>9.1f}"
              f"{row.percentile(99):>9.1f}{row.rps:>9.0f}{row.errors:>8}{ratio:>10.2f}×  {verdict}")
    print()
    for name, value, target, met in extras:
        verdict = {True: "met", False: "MISSED", None: "not measured"}[met]
        print(f"{name:<58} {value:<44} target {target:<8} {verdict}")


if __name__ == "__main__":
    main()

"""The heavy operations: XLSX matrix, a large upload's memory, the cohort ZIP export job.

The ZIP job and the `zip -0` comparison are measured by measure_worker.py and measure_zip.py,
called here as separate processes so their memory is their own.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from tests.bench.server import HOST, ROOT, Session, status_mb, worker_pids

LINE = b"Week 12, session 3: 6 x 150 m at 90 per cent, walk-back recovery, felt sharp.\n"


def xlsx_seconds(lead: Session, cohort_id: int, repeats: int = 3) -> dict:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response, data = lead.request("GET", f"/exports/cohorts/{cohort_id}/progress.xlsx")
        times.append(time.perf_counter() - started)
        if response.status != 200:
            sys.exit(f"XLSX export failed: {response.status}")
    return {"median_s": statistics.median(times), "runs_s": times, "bytes": len(data)}


class RssWatch:
    """Sample every worker's resident memory while a block runs; report the largest rise."""

    def __init__(self, pids: list[int], every: float = 0.02):
        self.pids, self.every = pids, every
        self.before = {pid: status_mb(pid, "VmRSS") for pid in pids}
        self.highest = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            for pid in self.pids:
                self.highest[pid] = max(self.highest[pid], status_mb(pid, "VmRSS"))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def growth(self) -> tuple[float, float]:
        """(largest RSS rise of any worker in MB, that worker's RSS before the block)."""
        pid = max(self.pids, key=lambda p: self.highest[p] - self.before[p])
        return self.highest[pid] - self.before[pid], self.before[pid]


def upload(session: Session, size: int) -> tuple[int, float]:
    """Stream a multipart upload of `size` bytes of plain text; return status and seconds."""
    token = session.csrf("/evidence/upload")
    boundary = "bench" + secrets.token_hex(8)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"training-log.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection(HOST, session.port, timeout=600)
    connection.putrequest("POST", "/evidence/upload")
    connection.putheader("Cookie", session.cookie)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    started = time.perf_counter()
    connection.send(head)
    block = LINE * (1024 * 1024 // len(LINE))
    sent = 0
    while sent < size:
        piece = block[: size - sent]
        connection.send(piece)
        sent += len(piece)
    connection.send(tail)
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def upload_memory(server, session: Session, megabytes: int) -> dict:
    pids = worker_pids(server)
    peaks_before = {pid: status_mb(pid, "VmHWM") for pid in pids}
    with RssWatch(pids) as watch:
        status, seconds = upload(session, megabytes * 1024 * 1024)
    growth, rss_before = watch.growth()
    peak_rise = max((status_mb(pid, "VmHWM") - peaks_before[pid] for pid in pids), default=0.0)
    return {"megabytes": megabytes, "status": status, "seconds": seconds,
            "rss_growth_mb": growth, "rss_before_mb": rss_before, "peak_rss_rise_mb": peak_rise}


def run_module(env: dict, module: str, *args: str, progress: bool = False) -> dict:
    """Run `python -m module`; its last line of output is JSON. `progress` shows its stderr."""
    result = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=None if progress else subprocess.PIPE,
                            text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{module} failed:\n{(result.stderr or '')[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def cohort_zip(env: dict, lead: Session, cohort_id: int, work: Path) -> dict:
    """Queue the cohort's ZIP export, run the job in a measured worker, compare with zip -0."""
    response, _ = lead.post_form(f"/exports/cohorts/{cohort_id}/progress",
                                 f"/exports/cohorts/{cohort_id}/archive")
    job = re.search(r"/jobs/(\d+)", response.getheader("Location") or "")
    if not job:
        sys.exit(f"the cohort ZIP export was not queued: HTTP {response.status}")
    worker = run_module(env, "tests.bench.measure_worker")
    download, archive = lead.request("GET", f"/exports/jobs/{job.group(1)}/download")
    if download.status != 200:
        sys.exit(f"the cohort ZIP did not download: HTTP {download.status}")
    archive_path = work / "cohort.zip"
    archive_path.write_bytes(archive)
    unpacked = work / "unpacked"
    with zipfile.ZipFile(archive_path) as opened:
        opened.extractall(unpacked)
    zipping = run_module(env, "tests.bench.measure_zip", str(unpacked))
    result = {"worker": worker, "archive_bytes": len(archive), "zipping": zipping}
    if zipping.get("zip0_seconds") and zipping.get("ours_seconds"):
        result["throughput_vs_zip0"] = zipping["zip0_seconds"] / zipping["ours_seconds"]
    return result

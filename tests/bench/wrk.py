"""Throughput under load: `wrk` (a C load generator, so the Python server keeps the CPU), or the
Python load generator in loadgen.py when wrk is not installed (the result says which ran)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.bench.loadgen import run_for

# Counts answers other than 200: wrk itself counts only status >= 400 as errors, and a lapsed
# session answering 302 to the sign-in page must not pass for a fast page.
STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("BENCH not_ok %d\\n", total))
  io.write(string.format("BENCH requests %d\\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\\n", summary.duration))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("BENCH p%d_us %d\\n", p, latency:percentile(p)))
  end
end
"""


def wrk_version() -> str | None:
    if not shutil.which("wrk"):
        return None
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (result.stdout or result.stderr).splitlines()
    version = first[0].split(" Copyright")[0].split("[")[0].strip() if first else "wrk"
    return version if version.startswith("wrk") else f"wrk {version}"


def parse_wrk(output: str) -> dict:
    """Figures from wrk's summary and our status script's BENCH lines."""
    values = {key: int(value) for key, value in re.findall(r"^BENCH (\w+) (\d+)$", output, re.M)}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    seconds = values.get("duration_us", 0) / 1e6
    return {
        "requests": values.get("requests", 0),
        "seconds": seconds,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": values.get("p50_us", 0) / 1000,
        "p90_ms": values.get("p90_us", 0) / 1000,
        "p99_ms": values.get("p99_us", 0) / 1000,
        "not_ok": values.get("not_ok", 0),
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
    }


def run_wrk(url: str, cookie: str | None, threads: int, connections: int,
            seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(STATUS_SCRIPT)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
               "--timeout", "60s", "-s", script.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    try:
        result = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    finally:
        Path(script.name).unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {result.stderr[-500:]}")
    return parse_wrk(result.stdout)


def run_python(host: str, port: int, path: str, cookie: str | None, connections: int,
               seconds: float) -> dict:
    result = run_for(host, port, path, cookie, connections, seconds)
    return {"requests": len(result.latencies) + result.errors, "seconds": result.seconds,
            "rps": result.rps, "p50_ms": result.p50, "p90_ms": result.percentile(90),
            "p99_ms": result.percentile(99), "not_ok": result.errors, "socket_errors": 0}


def drive(host: str, port: int, path: str, cookie: str | None, *, threads: int,
          connections: int, seconds: float) -> dict:
    """Load one URL for `seconds`; the figures include which generator produced them."""
    if shutil.which("wrk"):
        figures = run_wrk(f"http://{host}:{port}{path}", cookie, threads, connections, seconds)
        return {**figures, "generator": "wrk"}
    figures = run_python(host, port, path, cookie, connections, seconds)
    return {**figures, "generator": "python-fallback"}

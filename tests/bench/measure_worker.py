"""Run every queued export job in this process; print wall time and peak memory as JSON."""

from __future__ import annotations

import json
import resource
import time

from portfolio import create_app
from portfolio.exports.worker import run_worker


def main() -> None:
    app = create_app()
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    ran = run_worker(app, once=True, poll_seconds=0.1)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"jobs": ran, "seconds": seconds, "peak_mb": peak_kb / 1024,
                      "baseline_mb": baseline_kb / 1024}))


if __name__ == "__main__":
    main()

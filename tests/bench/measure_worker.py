"""Run every queued export job in this process; print wall time and peak memory as JSON.

`peak_mb` is this process's peak RSS: the worker itself (it gathers portfolios and writes the
ZIP). PDFs are drawn in child processes; `pdf_child_peak_mb` is the largest child's peak.
`weasyprint_in_worker` says whether the worker loaded WeasyPrint (it should not).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from portfolio import create_app


def main() -> None:
    app = create_app()
    from portfolio.exports.worker import run_worker  # after the app: blueprints load in order

    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    ran = run_worker(app, once=True, poll_seconds=0.1)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"jobs": ran, "seconds": seconds, "peak_mb": peak_kb / 1024,
                      "baseline_mb": baseline_kb / 1024,
                      "pdf_child_peak_mb": children_kb / 1024,
                      "weasyprint_in_worker": "weasyprint" in sys.modules}))


if __name__ == "__main__":
    main()

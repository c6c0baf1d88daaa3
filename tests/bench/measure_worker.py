"""Run every queued export job in this process; print wall time and peak memory as JSON.

`peak_mb` is this process's peak RSS: the worker itself (it gathers portfolios and writes the
ZIP). PDFs are drawn in child processes; `pdf_child_peak_mb` is the largest child's peak.
`weasyprint_in_worker` says whether the worker loaded WeasyPrint (it should not).
`peak_private_mb` and `peak_file_mb` split the peak, sampled every 10 ms: memory the worker
allocated (RssAnon) and files mapped into it (RssFile: its shared libraries and, on SQLite,
the pages of the database file it read through memory mapping, which the kernel shares and
can drop). The target is judged on `peak_mb`, the whole.
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time

from portfolio import create_app


class RssSampler(threading.Thread):
    """The largest RssAnon and RssFile of this process, read every `interval` seconds."""

    def __init__(self, interval: float = 0.01):
        super().__init__(daemon=True)
        self.interval, self.peaks, self.done = interval, {"RssAnon": 0, "RssFile": 0}, False

    def sample(self) -> None:
        with open("/proc/self/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in self.peaks:
                    self.peaks[key] = max(self.peaks[key], int(value.split()[0]))

    def run(self) -> None:
        while not self.done:
            self.sample()
            time.sleep(self.interval)

    def stop(self) -> dict:
        self.done = True
        self.join()
        self.sample()
        return {"peak_private_mb": self.peaks["RssAnon"] / 1024,
                "peak_file_mb": self.peaks["RssFile"] / 1024}


def main() -> None:
    app = create_app()
    from portfolio.exports.worker import run_worker  # after the app: blueprints load in order

    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sampler = RssSampler()
    sampler.start()
    started = time.perf_counter()
    ran = run_worker(app, once=True, poll_seconds=0.1)
    seconds = time.perf_counter() - started
    split = sampler.stop()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"jobs": ran, "seconds": seconds, "peak_mb": peak_kb / 1024,
                      "baseline_mb": baseline_kb / 1024,
                      "pdf_child_peak_mb": children_kb / 1024,
                      "weasyprint_in_worker": "weasyprint" in sys.modules, **split}))


if __name__ == "__main__":
    main()

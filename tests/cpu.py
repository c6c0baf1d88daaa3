"""Processor time of work done in this thread, for the tests that bound how long hostile input
may take (the largest, most nested text a field allows)."""

from __future__ import annotations

import gc
import time


def least_cpu_seconds(function, *args, repeat: int = 3) -> float:
    """The least processor time this thread spent on `function(*args)` over `repeat` runs,
    without pauses to collect garbage. Processor time, not wall time, and the least of
    several runs: what the work costs, not what a busy machine (or a collection of a long test
    session's heap) added to one run of it."""
    timings = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            started = time.thread_time()
            function(*args)
            timings.append(time.thread_time() - started)
        finally:
            gc.enable()
    return min(timings)

"""A small, bounded HTTP load generator: N requests over K keep-alive connections, timed."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def run_load(name: str, host: str, port: int, path: str, cookie: str | None,
             requests: int, connections: int, timeout: float = 30.0) -> Result:
    """Send `requests` GETs for `path` over `connections` parallel keep-alive connections."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_connection = [requests // connections + (1 if i < requests % connections else 0)
                      for i in range(connections)]
    headers = {"Cookie": cookie} if cookie else {}

    def worker(count: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        mine, failed = [], 0
        for _ in range(count):
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=worker, args=(count,)) for count in per_connection]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(name, latencies, errors, time.perf_counter() - started)

"""Render portfolio PDFs in short-lived child processes, as many at once as there are cores.

Each child runs `pdfwriter.py` as a script, so it loads WeasyPrint and nothing of the app, and
it exits after a few documents (or once it has grown), giving its memory back. The worker
itself never imports WeasyPrint: its memory stays that of the app plus one candidate's data.
A thread per child only waits on the child's pipe, so the worker can gather the next
candidate's portfolio while PDFs are being drawn.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess  # runs only our own PDF script (see _started)  # nosec B404
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from . import pdfwriter

log = logging.getLogger(__name__)

RENDERS_PER_CHILD = 12
CHILD_MAX_RSS_MB = 400
RENDER_TIMEOUT_SECONDS = 300


class RenderFailed(RuntimeError):
    """A child could not make a PDF (the message says why, for the log)."""


def default_processes() -> int:
    return max(1, min(2, os.cpu_count() or 1))


class _Child:
    """One child process running pdfwriter.serve; started lazily, replaced when it retires."""

    def __init__(self, renders: int, max_rss_mb: float):
        self._args = [sys.executable, "-I", pdfwriter.__file__, "--renders", str(renders),
                      "--max-rss-mb", str(max_rss_mb)]
        self._process: subprocess.Popen | None = None
        self.peak_rss_mb = 0.0

    def _started(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            # Our own interpreter and script, with fixed arguments: no input reaches the command.
            self._process = subprocess.Popen(  # noqa: S603  # nosec B603
                self._args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                encoding="ascii", close_fds=True)
        return self._process

    def render(self, html: str, allowed: frozenset[str], out: Path, timeout: float) -> None:
        process = self._started()
        request = json.dumps({"html": html, "allowed": sorted(allowed), "out": str(out)})
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            process.stdin.write(request + "\n")
            process.stdin.flush()
            line = process.stdout.readline()
        except (BrokenPipeError, OSError) as error:
            self.stop()
            raise RenderFailed(f"the PDF process stopped: {error}") from error
        finally:
            watchdog.cancel()
        if not line:
            self.stop()
            raise RenderFailed("the PDF process stopped without answering (killed after "
                               f"{timeout:.0f}s, or out of memory)")
        answer = json.loads(line)
        self.peak_rss_mb = max(self.peak_rss_mb, float(answer.get("rss_mb") or 0))
        if answer.get("last"):
            self.stop()
        if not answer.get("ok"):
            raise RenderFailed(answer.get("error") or "the PDF could not be made")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            try:
                process.stdin.close()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        for stream in (process.stdin, process.stdout):
            if stream and not stream.closed:
                stream.close()


class PdfProcesses:
    """`render(html, allowed, out)` returns a Future that is done when `out` holds the PDF."""

    def __init__(self, processes: int | None = None, renders_per_child: int = RENDERS_PER_CHILD,
                 max_rss_mb: float = CHILD_MAX_RSS_MB,
                 timeout: float = RENDER_TIMEOUT_SECONDS):
        self.processes = processes or default_processes()
        self._timeout = timeout
        self._children: list[_Child] = [_Child(renders_per_child, max_rss_mb)
                                        for _ in range(self.processes)]
        self._idle: queue.Queue[_Child] = queue.Queue()
        for child in self._children:
            self._idle.put(child)
        self._threads = ThreadPoolExecutor(self.processes, thread_name_prefix="pdf")

    def render(self, html: str, allowed: frozenset[str], out: Path) -> Future:
        return self._threads.submit(self._render, html, allowed, out)

    def _render(self, html: str, allowed: frozenset[str], out: Path) -> Path:
        child = self._idle.get()
        try:
            child.render(html, allowed, out, self._timeout)
        finally:
            self._idle.put(child)
        return out

    @property
    def peak_rss_mb(self) -> float:
        return max((child.peak_rss_mb for child in self._children), default=0.0)

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)
        for child in self._children:
            child.stop()

    def __enter__(self) -> PdfProcesses:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

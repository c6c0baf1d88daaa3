"""Turn a portfolio's HTML into a PDF with WeasyPrint, in this process or as a child process.

This module imports nothing from the application, so a worker can run it as a script
(`python -I pdfwriter.py`) in a short-lived child that loads WeasyPrint alone: the child's
memory goes back to the system when it exits, and the worker never holds WeasyPrint at all.

WeasyPrint is given only sanitised HTML from our own template, no base URL and a fetcher that
refuses every resource except the data: URIs the caller lists (image evidence previews), so
Markdown written by a user can never make the server fetch anything (no SSRF, no local reads).

Child protocol, one JSON object a line: the worker sends {"html", "allowed", "out"}; the child
writes the PDF to `out` + ".part", renames it to `out` and answers {"ok": true, "rss_mb"} or
{"ok": false, "error"}; it answers {"ok": true, "last": true} and exits once it has rendered
`--renders` documents or grown past `--max-rss-mb`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys

log = logging.getLogger(__name__)


class ResourceRefused(ValueError):
    """A document asked for a resource that exports never load."""


def make_fetcher(allowed: frozenset[str] = frozenset()):
    """A WeasyPrint URL fetcher that only answers data: URIs listed in `allowed`."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:") and url in allowed:
                return super().fetch(url, headers)
            self.refused.append(url[:200])
            log.info("export refused to load a resource: %.80s", url)
            raise ResourceRefused("exports do not load external resources")

    return LocalOnlyFetcher()


def write_pdf(html: str, allowed: frozenset[str] = frozenset(), fetcher=None) -> bytes:
    """The PDF of `html`, loading nothing but the listed data: URIs."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None,
                url_fetcher=fetcher or make_fetcher(allowed)).write_pdf()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _render_request(request: dict) -> dict:
    out = request["out"]
    part = f"{out}.{os.getpid()}.part"
    try:
        with open(part, "wb") as target:
            target.write(write_pdf(request["html"], frozenset(request.get("allowed") or ())))
        os.replace(part, out)
    except Exception as error:  # noqa: BLE001 - reported to the worker, which fails the job
        if os.path.exists(part):
            os.unlink(part)
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:500]}
    return {"ok": True, "rss_mb": round(peak_rss_mb(), 1)}


def serve(renders: int, max_rss_mb: float, source=sys.stdin, sink=sys.stdout) -> None:
    """Answer render requests until told to stop, out of renders or grown too big."""
    done = 0
    for line in source:
        if not line.strip():
            continue
        answer = _render_request(json.loads(line))
        done += 1
        last = done >= renders or peak_rss_mb() > max_rss_mb
        answer["last"] = last
        sink.write(json.dumps(answer) + "\n")
        sink.flush()
        if last:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description="Render portfolio PDFs for the export worker.")
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--max-rss-mb", type=float, default=400)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    serve(args.renders, args.max_rss_mb)


if __name__ == "__main__":
    main()

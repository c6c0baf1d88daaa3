"""Zip the same folder with the app's StreamingZip and with `zip -0`; print both throughputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from portfolio.exports.archive import StreamingZip


def main(folder: Path) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory() as scratch:
        ours = Path(scratch) / "ours.zip"
        tracemalloc.start()
        started = time.perf_counter()
        archive = StreamingZip(ours)
        for path in files:
            archive.add_file(path.relative_to(folder).as_posix(), path)
        archive.close()
        our_seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result = {"files": len(files), "bytes": total, "ours_seconds": our_seconds,
                  "ours_python_peak_mb": peak / 1e6}
        if shutil.which("zip"):
            theirs = Path(scratch) / "theirs.zip"
            started = time.perf_counter()
            subprocess.run(["zip", "-0", "-r", "-q", str(theirs), "."], cwd=folder, check=True)
            result["zip0_seconds"] = time.perf_counter() - started
    print(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

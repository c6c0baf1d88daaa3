"""Zip the same folder with the app's StreamingZip and with `zip -0`; print both throughputs.

Each is timed three times, alternating, and the median kept (the machine is shared, so one
run alone says little). Memory is measured in a separate, untimed pass: tracing allocations
slows Python several times and must not count against its speed.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from portfolio.exports.archive import StreamingZip

ROUNDS = 3


def zip_ours(folder: Path, files: list[Path], target: Path) -> float:
    started = time.perf_counter()
    archive = StreamingZip(target)
    for path in files:
        archive.add_file(path.relative_to(folder).as_posix(), path)
    archive.close()
    return time.perf_counter() - started


def zip_theirs(folder: Path, target: Path) -> float:
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(["zip", "-0", "-r", "-q", str(target), "."], cwd=folder, check=True)
    return time.perf_counter() - started


def main(folder: Path) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    result = {"files": len(files), "bytes": total}
    with tempfile.TemporaryDirectory() as scratch:
        ours, theirs = Path(scratch) / "ours.zip", Path(scratch) / "theirs.zip"
        tracemalloc.start()
        zip_ours(folder, files, ours)
        result["ours_python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        has_zip = shutil.which("zip") is not None
        our_times, their_times = [], []
        for _ in range(ROUNDS):
            our_times.append(zip_ours(folder, files, ours))
            if has_zip:
                their_times.append(zip_theirs(folder, theirs))
        result["ours_seconds"] = statistics.median(our_times)
        result["ours_archive_bytes"] = ours.stat().st_size
        if has_zip:
            result["zip0_seconds"] = statistics.median(their_times)
            result["ratio"] = result["zip0_seconds"] / result["ours_seconds"]
    print(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

"""Run inside `unshare -m`: make the uploads folder a tmpfs mount point, as shared storage is.

    python -m tests.backup.restore_on_mount UPLOADS BACKUP SIZE [FAULT]

Copies the uploads folder's current files onto a fresh tmpfs of SIZE mounted on it, runs
`flask backup restore --yes BACKUP` (with FAULT injected, if named), and prints one JSON line:
the command's exit code and output, whether the folder is still a mount point, and the
SHA-256 of every file under it. The mount vanishes with the namespace when this exits.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess  # nosec B404 - fixed commands in a throw-away mount namespace
import sys
import tempfile
from pathlib import Path

FAULTS = {
    "none": "",
    "database": ("import portfolio.backup.restore as restore\n"
                 "def refuse(*args):\n"
                 "    raise restore.BackupError('pg_restore failed: disk quota exceeded')\n"
                 "restore.restore_database = refuse\n"),
}


def main(uploads: Path, backup: str, size: str, fault: str = "none") -> None:
    with tempfile.TemporaryDirectory() as stash:
        shutil.copytree(uploads, stash, dirs_exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",  # noqa: S607
                        str(uploads)], check=True)  # nosec B603 B607
        shutil.copytree(stash, uploads, dirs_exist_ok=True)
    command = [sys.executable, "-c", FAULTS[fault] + "from flask.cli import main\nmain()\n",
               "--app", "portfolio", "backup", "restore", "--yes", backup]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603
    files = {path.relative_to(uploads).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(uploads.rglob("*")) if path.is_file()}
    print(json.dumps({"exit": result.returncode, "output": result.stdout + result.stderr,
                      "mounted": os.path.ismount(uploads), "files": files}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), *sys.argv[2:])

"""The WSGI entry point gunicorn serves: the app, with its start-up objects frozen out of the
garbage collector's full passes (see portfolio/wsgi.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
import portfolio.wsgi as entry
assert entry.app.name == "portfolio", entry.app.name
print(gc.get_freeze_count())
"""


def test_the_entry_point_freezes_what_start_up_built(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(PORTFOLIO_INSTANCE_PATH=str(tmp_path / "instance"),
               PORTFOLIO_SECRET_KEY="entry-point-test", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    # The app's modules, models and registry: tens of thousands of objects, all frozen.
    assert int(result.stdout.split()[-1]) > 20_000

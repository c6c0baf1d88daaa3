"""Libraries only some requests need are imported when first used, not with the app.

Every process loads the app: two or more web workers, the export worker, the mail worker. Authlib
(with requests and cryptography) for single sign-on and cryptography for credentials come to
about 15 MB a process, and Flask-Migrate with Alembic 11 MB more (only `flask db` and
`flask_migrate.upgrade()` need them); WeasyPrint draws PDFs in child processes only. A fresh interpreter
builds the app and reports which of them it holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

LAZY = ("authlib", "requests", "cryptography", "joserfc", "weasyprint", "openpyxl", "pypdf",
        "flask_migrate", "alembic", "mako")

PROBE = """
import json, sys
from portfolio import create_app
create_app()
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules} & set(sys.argv[1:]))))
"""


def test_building_the_app_imports_none_of_the_libraries_loaded_on_first_use(tmp_path):
    env = {**os.environ, "PORTFOLIO_SECRET_KEY": "probe-secret",
           "PORTFOLIO_INSTANCE_PATH": str(tmp_path / "instance"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite'}"}
    answer = subprocess.run([sys.executable, "-c", PROBE, *LAZY], env=env, check=True,
                            capture_output=True, text=True, timeout=120)
    assert json.loads(answer.stdout.strip().splitlines()[-1]) == []

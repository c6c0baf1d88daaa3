"""Reference rows every installation needs (e.g. pathways, specialisms).

Features append idempotent functions to REFERENCE_SEEDERS; `flask db upgrade` runs through
migrations, and `ensure_reference_data()` fills anything missing (used by `make run`, seed-demo
and the test fixtures after each database reset).
"""

from __future__ import annotations

from collections.abc import Callable

REFERENCE_SEEDERS: list[Callable[[], None]] = []


def ensure_reference_data() -> None:
    """Create any missing reference rows (flush only)."""
    for seeder in REFERENCE_SEEDERS:
        seeder()

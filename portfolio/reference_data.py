"""Reference rows every installation needs (e.g. pathways, specialisms).

Features register idempotent seeders (`Registry.add_reference_seeder`); `flask db upgrade` runs
through migrations, and `ensure_reference_data()` fills anything missing (used by `make run`,
seed-demo and the test fixtures after each database reset).
"""

from __future__ import annotations

from .registry import registry_of


def ensure_reference_data() -> None:
    """Create any missing reference rows (flush only)."""
    for seeder in registry_of().reference_seeders:
        seeder()

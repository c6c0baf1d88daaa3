"""Builders and checks shared by the backup tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select

from portfolio import storage
from portfolio.evidence import queries
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.evidence.builders import store
from tests.factories import make_scenario


def seed():
    """A scenario whose author has two evidence files, one of them a photo with a thumbnail."""
    s = make_scenario()
    db.session.commit()
    s.plan = store(s.author, "plan.pdf")
    s.photo = store(s.author, "photo.jpg")
    assert s.photo.has_thumbnail
    return s


def row_counts() -> dict[str, int]:
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    db.session.rollback()
    return counts


def stored_files(app) -> dict[str, str]:
    """Every file under the uploads folder, hidden folders included: relative path -> SHA-256."""
    root = Path(app.config["UPLOAD_FOLDER"])
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def evidence_files_intact(app) -> bool:
    """Every evidence row has its files, each with the recorded checksum, and nothing else."""
    report = storage.check(queries.expected_files())
    assert report.problems == 0 and not report.unrecognised, report
    for evidence in db.session.scalars(select(Evidence).where(Evidence.kind == "file")):
        data = storage.final_path(evidence.storage_key).read_bytes()
        assert len(data) == evidence.size_bytes, evidence.id
        # An image's recorded checksum is of the upload, before it was re-encoded.
        if evidence.category != "image":
            assert hashlib.sha256(data).hexdigest() == evidence.sha256, evidence.id
    db.session.rollback()
    return True

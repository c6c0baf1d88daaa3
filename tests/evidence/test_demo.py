"""Demo evidence: generated diagrams and PDFs, attached to recent entries with a new version."""

import io

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from portfolio import storage
from portfolio.demo import evidence as demo_evidence
from portfolio.demo import programmes as demo_programmes
from portfolio.demo import seed_accounts
from portfolio.entries.models import Entry, EntryVersion
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from portfolio.programmes.models import Cohort
from tests.factories import make_entry


def test_generated_pdf_is_a_valid_one_page_document():
    data = demo_evidence.simple_pdf(["Session plan (week 3)", "Warm-up: A-skips \\ B-skips"])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Session plan (week 3)" in text and "A-skips \\ B-skips" in text


def test_demo_seeds_evidence_and_attaches_it_once(app):
    users, _ = seed_accounts()
    demo_programmes.seed(users)
    coach = users["coach1@example.org"]
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Talent 2026-2027"))
    entries = [make_entry(coach, cohort=cohort, title=f"Demo entry {n}") for n in range(3)]
    db.session.commit()

    assert demo_evidence.seed(users) is True
    db.session.commit()
    mine = list(db.session.scalars(select(Evidence).where(Evidence.owner_id == coach.id)))
    assert {e.kind for e in mine} == {"file", "link"} and len(mine) == 3
    diagram = next(e for e in mine if e.category == "image")
    assert diagram.has_thumbnail and storage.stored_file(diagram.storage_key, ".thumb")
    with Image.open(storage.stored_file(diagram.storage_key)) as image:
        assert image.size == (960, 600)
    listed = set()
    for entry in entries:
        db.session.refresh(entry)
        listed |= set(entry.versions[-1].content["evidence_ids"])
    assert listed == {e.id for e in mine}
    versions = db.session.scalar(select(func.count()).select_from(EntryVersion))

    assert demo_evidence.seed(users) is False  # a second run changes nothing
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Evidence)) >= 3
    assert db.session.scalar(select(func.count()).select_from(EntryVersion)) == versions
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 3

"""Builders for consent tests: a photo in a saved entry, flagged and (optionally) consented."""

from __future__ import annotations

from datetime import date

from portfolio.consent import services
from portfolio.evidence import services as evidence_services
from tests.evidence.builders import image_bytes, upload
from tests.factories import make_entry

GIVEN_ON = date(2026, 11, 20)


def shared_photo(owner, cohort, *, title="Under-13 relay changeover", privacy="peers"):
    """A photo listed by a saved entry of `privacy` in `cohort` (its readers may open it).

    Its pixels come from the title: the library reuses an identical upload."""
    color = tuple(sum(map(ord, title)) * factor % 256 for factor in (3, 5, 7))
    photo = evidence_services.upload_file(owner, upload("relay.png", image_bytes("PNG", color=color)),
                                          title=title).evidence
    assert photo.title == title, "an identical upload was reused"
    entry = make_entry(owner, cohort=cohort, privacy=privacy, title=f"Entry with {title}",
                       evidence=[photo])
    return photo, entry


def consented(owner, photo, *, scope="wider", given_by="Maria Parent"):
    consent = services.flag_evidence(owner, photo)
    return services.record_consent(owner, consent, given_by=given_by, relationship="parent",
                                   given_on=GIVEN_ON, scope=scope)


def consent_for_privacy(s):
    """A consent record for the author's session plan (tests/privacy/builders.py)."""
    consented(s.author, s.evidence, scope="assessment", given_by="Privacy Test Parent")

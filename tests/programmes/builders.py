"""Builders for programme tests: sign-offs, CSV files and archived cohorts."""

from __future__ import annotations

from datetime import date

from portfolio.extensions import db
from portfolio.programmes.member_import import TEMPLATE_HEADER
from portfolio.reviews.models import Signoff
from tests.factories import competency, make_entry, make_year


def make_signoff(candidate, framework, code, reviewer, *, role="coach_developer",
                 decision="signed_off", entry=None):
    """A sign-off decision on `code` for the candidate, on a fresh saved entry by default."""
    item = competency(framework, code)
    entry = entry or make_entry(candidate, title=f"Evidence for {code}", competencies=[item])
    version = entry.versions[-1]
    signoff = Signoff(role=role, decision=decision, candidate_id=candidate.id,
                      reviewer_id=reviewer.id, competency_id=item.id, competency_code=code,
                      entry_id=entry.id, entry_version_id=version.id,
                      version_number=version.number, content_hash=version.content_hash)
    db.session.add(signoff)
    db.session.flush()
    return signoff


def csv_bytes(rows, header=TEMPLATE_HEADER, *, encoding="utf-8", bom=False,
              newline="\r\n") -> bytes:
    """A CSV file as a spreadsheet would save it."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def archive(year):
    """Archive a year the way a lead would: close it first."""
    year.status = "archived"
    db.session.flush()
    return year


def next_year(label="2027-2028", starts_on=date(2027, 9, 1), status="planning"):
    return make_year(label, status=status, starts_on=starts_on)


def upload(client, url, data: bytes, filename="people.csv", field="file", **extra):
    import io

    return client.post(url, data={field: (io.BytesIO(data), filename), **extra},
                       content_type="multipart/form-data")

"""The code pages send the same number of SQL statements for one competency as for three."""

from __future__ import annotations

from portfolio.extensions import db
from portfolio.quicksign import services
from tests.factories import DEFAULT_AREAS, competency, make_entry, make_scenario, sign_in
from tests.performance.worlds import StatementRecorder

CODES = [code for _, items in DEFAULT_AREAS for code, *_ in items]  # VP1, VP2, RP1


def _statements(app, viewer, path, method="get", data=None) -> int:
    client = sign_in(app.test_client(), viewer)
    with StatementRecorder(db.engine) as recorder:
        response = getattr(client, method)(path, data=data)
    assert response.status_code in (200, 302), (path, response.status_code)
    return recorder.count


def _counts(app, codes) -> tuple[int, int, int]:
    s = make_scenario()
    chosen = [competency(s.framework, code) for code in codes]
    entry = make_entry(s.author, cohort=s.cohort, competencies=chosen)
    code, raw = services.ask_for_quick_sign(entry, s.author, [c.id for c in chosen])
    db.session.commit()
    sign_page = _statements(app, s.developer, f"/q/{raw}")
    form = {"action": "complete"} | {f"decision_{c.id}": "signed_off" for c in chosen}
    _statements(app, s.developer, f"/q/{raw}", "post", form)
    shown = _statements(app, s.author, f"/entries/{entry.id}/quick-sign/{code.id}")
    ask = _statements(app, s.author, f"/entries/{entry.id}/quick-sign")
    return sign_page, shown, ask


def test_statement_counts_do_not_grow_with_the_competencies(app):
    one = _counts(app, CODES[:1])
    db.session.remove()
    three = _counts(app, CODES)
    assert one == three, (one, three)

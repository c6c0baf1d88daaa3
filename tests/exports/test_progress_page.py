"""The cohort progress page: states in text and symbol, filters, totals, pacing, workload."""

from datetime import timedelta

from sqlalchemy import event

from portfolio.database import utcnow
from portfolio.extensions import db
from portfolio.programmes.models import Specialism
from tests.exports.builders import add_request, add_signoff, entry_saved_at, seeded_cohort
from tests.factories import add_member, make_entry, make_user


def _page(client, login, user, cohort, **args):
    login(user)
    response = client.get(f"/exports/cohorts/{cohort.id}/progress", query_string=args)
    return response, response.get_data(as_text=True)


def test_matrix_shows_each_state_in_words_and_symbols(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    response, html = _page(client, login, s.lead, s.cohort)
    assert response.status_code == 200
    assert "Signed off (1 of 1)" in html
    assert "Awaiting review" in html
    assert "◑" in html and "●" in html and "○" in html
    assert "Aisha Author" in html and "Pat Peer" in html
    assert "Vision &amp; planning" in html  # grouped by area


def test_private_entries_are_not_counted_or_named(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort)
    assert "My private worries" not in html


def test_filters_by_specialism_developer_and_status(app, client, login):
    s = seeded_cohort()
    sprints = Specialism(name="Sprints & hurdles", position=1)
    db.session.add(sprints)
    db.session.flush()
    s.author_membership.specialisms.append(sprints)
    s.outsider_membership.status = "withdrawn"
    second = make_user(name="Second Developer")
    add_member(s.cohort, second, role="coach_developer")
    s.peer_membership.coach_developer_id = second.id
    db.session.commit()

    _, html = _page(client, login, s.lead, s.cohort, specialism=sprints.id)
    assert "Aisha Author" in html and "Pat Peer" not in html

    _, html = _page(client, login, s.lead, s.cohort, developer=second.id)
    assert "Pat Peer" in html and "Aisha Author" not in html

    _, html = _page(client, login, s.lead, s.cohort)
    assert "Olu Outsider" not in html  # withdrawn hidden by default
    _, html = _page(client, login, s.lead, s.cohort, status="withdrawn")
    assert "Olu Outsider" in html and "Aisha Author" not in html


def test_bad_filter_values_are_ignored_not_errors(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    response, html = _page(client, login, s.lead, s.cohort, specialism="x'; drop",
                           developer="-4", status="nonsense", sort="<script>")
    assert response.status_code == 200
    assert "Aisha Author" in html


def test_sort_by_progress_puts_most_signed_off_first(app, client, login):
    s = seeded_cohort()
    add_signoff(s.peer_entry, s.developer, s.vp1)
    entry = make_entry(s.outsider, cohort=s.cohort, privacy="cohort", competencies=[s.rp1])
    add_signoff(entry, s.developer, s.rp1)
    add_signoff(s.review_entry, s.developer, s.rp1)
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort, sort="progress")
    matrix = html[html.index("<tbody>"):]
    assert matrix.index("Aisha Author") < matrix.index("Olu Outsider")


def test_totals_per_competency_and_candidate(app, client, login):
    s = seeded_cohort()
    add_signoff(s.peer_entry, s.developer, s.vp1)
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort)
    footer = html[html.index("<tfoot>"):html.index("</tfoot>")]
    assert "2 of 3" in footer  # VP1 signed off for author and peer, of three candidates
    assert "1 awaiting review" in footer


def test_workload_counts_open_requests_and_median_turnaround(app, client, login):
    s = seeded_cohort()
    now = utcnow()
    for days in (2, 4, 9):
        add_request(s.peer_entry, s.cohort, [s.vp1], status="completed",
                    created_at=now - timedelta(days=days + 1), closed_at=now - timedelta(days=1),
                    closed_by=s.developer)
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort)
    workload = html[html.index('id="workload"'):]
    assert "Dev Eloper" in workload
    assert "4.0 days" in workload  # median of 2, 4 and 9 days
    row = workload[workload.index("Dev Eloper"):]
    cells = row[:row.index("</tr>")].split("</td>")
    assert cells[0].endswith(">3")  # three candidates assigned
    assert cells[1].endswith(">1")  # one open request
    assert cells[3].endswith(">3")  # three reviews finished


def test_late_candidates_are_flagged(app, client, login):
    s = seeded_cohort()
    end = s.cohort.ends_on
    from datetime import UTC, datetime, time

    late = datetime.combine(end - timedelta(days=10), time(12), tzinfo=UTC)
    for index in range(3):
        entry_saved_at(s.outsider, late, cohort=s.cohort, privacy="cohort", title=f"Late {index}")
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort)
    pacing = html[html.index('id="pacing"'):html.index('id="workload"')]
    row = pacing[pacing.index("Olu Outsider"):]
    row = row[:row.index("</tr>")]
    assert "Mostly late" in row
    assert "3 of 3 entries" in row
    aisha = pacing[pacing.index("Aisha Author"):]
    assert "Mostly late" not in aisha[:aisha.index("</tr>")]


def test_pacing_charts_are_inline_svg_with_text_alternatives(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort)
    assert '<svg class="chart__svg"' in html and "<polyline" in html
    assert 'role="img" aria-label="Aisha Author: 2 entries and 1 sign-offs"' in html
    assert "<script" not in html.split("</head>")[1]


def test_names_are_escaped_inside_charts(app, client, login):
    s = seeded_cohort()
    s.author.display_name = '<svg onload=alert(1)>"'
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort)
    assert "<svg onload" not in html
    assert "&lt;svg onload=alert(1)&gt;" in html


def test_coach_developer_sees_own_cohort_only(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    response, _ = _page(client, login, s.developer, s.cohort)
    assert response.status_code == 200
    response, _ = _page(client, login, s.developer, s.other_cohort)
    assert response.status_code == 404


def test_statement_count_does_not_grow_with_candidates(app, client, login):
    s = seeded_cohort()
    db.session.commit()

    def count():
        statements = []

        def listener(*args):
            statements.append(args[2])

        engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            response, _ = _page(client, login, s.lead, s.cohort)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        return len(statements)

    small = count()
    for index in range(12):
        member = add_member(s.cohort, make_user(name=f"Extra {index}"), developer=s.developer)
        entry = make_entry(member.user, cohort=s.cohort, privacy="cohort",
                           competencies=[s.vp1])
        add_signoff(entry, s.developer, s.vp1)
    db.session.commit()
    assert count() == small

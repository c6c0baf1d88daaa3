"""The cohort progress page: states in text and symbol, filters, totals, pacing, workload."""

import re
from datetime import timedelta
from html import unescape

from markupsafe import escape
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


def _text(html: str) -> str:
    """What a reader gets from a piece of the page: tags dropped, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _matrix_row(html: str, name: str) -> str:
    body = html[html.index('<table class="matrix">'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    row = body[body.rindex("<tr>", 0, body.index(name)):]
    return row[:row.index("</tr>")]


def _footer_row(html: str, heading: str) -> list[str]:
    footer = html[html.index("<tfoot>"):html.index("</tfoot>")]
    row = footer[footer.index(heading):]
    row = row[row.index("</th>") + 5:row.index("</tr>")]
    return [_text(cell) for cell in row.split("</td>")[:-1]]


def test_matrix_shows_each_state_in_words_and_symbols(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    response, html = _page(client, login, s.lead, s.cohort)
    assert response.status_code == 200
    aisha = _matrix_row(html, "Aisha Author")
    # Each cell: the symbol (hidden from screen readers) and the code and state in words.
    assert '<span class="matrix__symbol" aria-hidden="true">●</span>' in aisha
    assert "VP1 Signed off (1 of 1)" in _text(aisha)
    assert "VP2 Awaiting review" in _text(aisha)
    assert "RP1 Claimed" in _text(aisha)
    assert "VP1 Claimed" in _text(_matrix_row(html, "Pat Peer"))
    assert "◑" in html and "●" in html and "○" in html
    assert "Vision &amp; planning" in html  # grouped by area


def test_columns_are_codes_with_titles_in_an_abbreviation_and_a_legend(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort)
    head = html[html.index("<thead>"):html.index("</thead>")]
    assert f'<abbr title="{escape(s.vp1.title)}">VP1</abbr>' in head
    legend = html[html.index('id="competency-codes"'):]
    assert f"<dt>VP1</dt><dd>{escape(s.vp1.title)}</dd>" in legend


def test_candidate_column_holds_the_name_as_a_link_only(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort)
    aisha = _matrix_row(html, "Aisha Author")
    name_cell = aisha[:aisha.index("</th>")]
    assert _text(name_cell) == "Aisha Author"
    assert f'/cohorts/{s.cohort.id}/candidates/{s.author.id}' in name_cell
    # Status and coach developer are still on the page, beside the candidate's pacing.
    pacing = html[html.index('id="pacing"'):html.index('id="workload"')]
    row = pacing[pacing.index("Aisha Author"):]
    assert "Active · Dev Eloper" in _text(row[:row.index("</tr>")])


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
    signed = _footer_row(html, "Candidates signed off")
    assert signed[0] == "VP1 2 of 3"  # VP1 signed off for author and peer, of three candidates
    assert signed[1] == "VP2 0 of 3"
    awaiting = _footer_row(html, "Candidates awaiting review")
    assert awaiting[1] == "VP2 1 awaiting review"
    assert _text(_matrix_row(html, "Pat Peer")).endswith("Signed off: 1 of 3")


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


def test_candidates_come_in_pages_that_keep_filters_and_sort(app, client, login, monkeypatch):
    from portfolio.exports import report

    monkeypatch.setattr(report, "PAGE_SIZE", 2)
    s = seeded_cohort()
    db.session.commit()
    _, html = _page(client, login, s.lead, s.cohort, sort="progress")
    assert "3 of 3 candidates shown (1 to 2 on this page)" in _text(html)
    rows = html[html.index("<tbody>"):html.index("</tbody>")]
    # Most signed off first, then by name: Aisha (1), Olu (0); Pat (0) is on page 2.
    assert rows.index("Aisha Author") < rows.index("Olu Outsider") and "Pat Peer" not in rows
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    assert "page=2" in next_link and "sort=progress" in next_link and "status=current" in next_link
    # Totals and the cards still count every candidate shown, not only this page.
    assert _footer_row(html, "Candidates signed off")[0] == "VP1 1 of 3"

    _, html = _page(client, login, s.lead, s.cohort, sort="progress", page=2)
    rows = html[html.index("<tbody>"):html.index("</tbody>")]
    assert "Pat Peer" in rows and "Aisha Author" not in rows
    pacing = html[html.index('id="pacing"'):html.index('id="workload"')]
    assert "Pat Peer" in pacing and "Aisha Author" not in pacing
    assert re.search(r'<a rel="prev" href="[^"]*page=1[^"]*sort=progress', html)

    response, html = _page(client, login, s.lead, s.cohort, page="99")
    assert response.status_code == 200 and "Page 2 of 2" in html
    response, html = _page(client, login, s.lead, s.cohort, page="-1")
    assert response.status_code == 200 and "Page 1 of 2" in html


def test_downloads_hold_every_candidate_whatever_the_page(app, client, login, monkeypatch):
    from portfolio.exports import report

    monkeypatch.setattr(report, "PAGE_SIZE", 1)
    s = seeded_cohort()
    db.session.commit()
    login(s.lead)
    text = client.get(f"/exports/cohorts/{s.cohort.id}/progress.csv",
                      query_string={"page": 2}).get_data(as_text=True)
    assert all(name in text for name in ("Aisha Author", "Pat Peer", "Olu Outsider"))


def test_page_sends_at_most_ten_statements(app, client, login):
    s = seeded_cohort()
    db.session.commit()
    login(s.lead)
    client.get(f"/exports/cohorts/{s.cohort.id}/progress")
    statements = []

    def listener(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(f"/exports/cohorts/{s.cohort.id}/progress").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) <= 10, "\n".join(" ".join(s.split())[:120] for s in statements)

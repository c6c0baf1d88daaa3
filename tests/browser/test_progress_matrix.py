"""The cohort progress matrix in a real browser: 25 competencies fit a 1280 px laptop screen as
symbols under code headers with nothing scrolling sideways, and on a 375 px phone each
candidate is a list of competencies with their states in words, nothing overlapping; axe finds
no WCAG 2.2 AA problem at either width."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD

AREAS = [
    ("Vision & planning", "VP"),
    ("Environment & safeguarding", "ES"),
    ("Relationships & communication", "RC"),
    ("Event-group technical coaching", "TC"),
    ("Reflective practice & professional learning", "RP"),
]
NAMES = ["Aisha Author", "Bartholomew Fitzgerald-Okonkwo", "Chen Li", "Dana Ross",
         "Eleanor Vance-Whitmore", "Femi Adeyemi"]


@pytest.fixture
def matrix_world(db_ctx):
    from types import SimpleNamespace

    from tests.exports.builders import add_request, add_signoff
    from tests.factories import add_member, make_cohort, make_entry, make_framework, make_user

    framework = make_framework("Laptop framework", areas=[
        (title, [(f"{prefix}{number}", 1, 0) for number in range(1, 6)])
        for title, prefix in AREAS])
    cohort = make_cohort(framework=framework, name="Talent laptop")
    developer = make_user(name="Dev Eloper")
    add_member(cohort, developer, role="coach_developer")
    lead = make_user(name="Lee Lead", lead=True)
    competencies = sorted(framework.competencies, key=lambda c: (c.area.position, c.position))
    candidates = []
    for index, name in enumerate(NAMES):
        user = make_user(name=name)
        add_member(cohort, user, developer=developer)
        claimed = competencies[index:index + 8]
        entry = make_entry(user, cohort=cohort, privacy="cohort", title=f"Session {index}",
                           competencies=claimed)
        for competency in claimed[:index]:
            add_signoff(entry, developer, competency)
        add_request(entry, cohort, claimed[-2:], assigned_to=developer)
        candidates.append(user)
    db_ctx.commit()
    return SimpleNamespace(cohort=cohort, lead=lead, codes=[c.code for c in competencies])


def _open(page, live_server, world):
    sign_in(page, live_server.url, world.lead.email, PASSWORD)
    page.goto(f"{live_server.url}/exports/cohorts/{world.cohort.id}/progress")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress: Talent laptop")


def test_25_competencies_fit_a_laptop_screen_as_symbols(page, live_server, matrix_world):
    page.set_viewport_size(DESKTOP)
    _open(page, live_server, matrix_world)
    table = page.locator("table.matrix")
    headers = table.locator("thead th[scope=col] abbr")
    expect(headers).to_have_count(25)
    assert headers.all_inner_texts() == matrix_world.codes
    expect(headers.first).to_have_attribute("title", "Competency VP1")
    # Nothing scrolls sideways: not the page, not the table's own scrolling region.
    assert page.evaluate("document.documentElement.scrollWidth "
                         "<= document.documentElement.clientWidth")
    assert page.evaluate("(() => { const w = document.querySelector('.matrix-wrap');"
                         " return w.scrollWidth <= w.clientWidth; })()")
    last = headers.last.bounding_box()
    assert last["x"] + last["width"] <= DESKTOP["width"]
    # A cell shows its symbol; its words are there for screen readers but take no room.
    row = table.locator("tbody tr", has_text="Chen Li")
    cell = row.locator("td.matrix__cell").nth(2)
    expect(cell.locator(".matrix__symbol")).to_have_text("●")
    expect(cell.locator(".matrix__words")).to_have_text("VP3 Signed off (1 of 1)")
    assert cell.locator(".matrix__words").bounding_box()["width"] <= 1
    # The name column is narrow and is the candidate's name only, a link to their page.
    name = row.locator("th[scope=row]")
    expect(name.get_by_role("link", name="Chen Li")).to_be_visible()
    assert name.bounding_box()["width"] <= 180
    check_page(page, "progress-matrix")


def _overlaps(boxes):
    for first_index, first in enumerate(boxes):
        for second in boxes[first_index + 1:]:
            if (first["x"] + first["width"] - 0.5 > second["x"]
                    and second["x"] + second["width"] - 0.5 > first["x"]
                    and first["y"] + first["height"] - 0.5 > second["y"]
                    and second["y"] + second["height"] - 0.5 > first["y"]):
                return first, second
    return None


def test_phone_shows_a_list_per_candidate_with_states_in_words(page, live_server,
                                                               matrix_world):
    page.set_viewport_size(PHONE)
    _open(page, live_server, matrix_world)
    table = page.locator("table.matrix")
    expect(table.locator("thead")).to_have_css("position", "absolute")  # headers for readers
    row = table.locator("tbody tr", has_text="Chen Li")
    name = row.locator("th[scope=row]")
    cells = row.locator("td.matrix__cell")
    expect(cells).to_have_count(25)
    words = cells.nth(2).locator(".matrix__words")
    expect(words).to_have_text("VP3 Signed off (1 of 1)")
    assert words.bounding_box()["width"] > 40  # shown as words, not only for screen readers
    expect(cells.nth(8).locator(".matrix__words")).to_have_text("ES4 Awaiting review")
    expect(cells.nth(20).locator(".matrix__words")).to_have_text("RP1 Not started")
    expect(row.locator(".matrix__total")).to_have_text("Signed off: 2 of 25")
    # The name heads its own list, and no two items of the list overlap.
    name_box = name.bounding_box()
    boxes = [cells.nth(index).bounding_box() for index in range(25)]
    assert all(box["y"] >= name_box["y"] + name_box["height"] - 0.5 for box in boxes)
    assert _overlaps([name_box, *boxes, row.locator(".matrix__total").bounding_box()]) is None
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] for box in boxes)
    assert page.evaluate("document.documentElement.scrollWidth "
                         "<= document.documentElement.clientWidth")
    check_page(page, "progress-matrix-phone")

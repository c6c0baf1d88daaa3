"""Numbers in URLs that cannot name anything answer 404, never a server error."""

import pytest

from portfolio.extensions import db
from tests.factories import make_entry

HUGE = 1_099_511_627_776  # beyond a 32-bit id


@pytest.mark.parametrize("path", [
    f"/portfolio/entries/{HUGE}", f"/portfolio/entries/{HUGE}/edit",
    f"/portfolio/entries/{HUGE}/versions", "/portfolio/entries/{entry}/versions/" + str(HUGE),
    "/portfolio/entries/{entry}/compare/1/" + str(HUGE), f"/portfolio/goals/{HUGE}",
    f"/portfolio/goals/{HUGE}/edit", f"/portfolio/candidates/{HUGE}",
    f"/portfolio/philosophy/compare/1/{HUGE}",
])
def test_huge_ids_are_not_found(world, client_for, path):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    response = client_for(world.author).get(path.format(entry=entry.id))
    assert response.status_code == 404


@pytest.mark.parametrize("path", [
    "/portfolio/entries/{entry}/versions/" + str(HUGE) + "/restore",
    f"/portfolio/philosophy/versions/{HUGE}/restore",
    f"/portfolio/entries/{HUGE}/autosave",
])
def test_huge_ids_in_posts_are_not_found(world, client_for, path):
    entry = make_entry(world.author, cohort=world.cohort)
    db.session.commit()
    from tests.entries.builders import make_statement

    make_statement(world.author)
    db.session.commit()
    assert client_for(world.author).post(path.format(entry=entry.id)).status_code == 404


def test_odd_filter_values_are_ignored(world, client_for):
    make_entry(world.author, cohort=world.cohort, title="Still listed")
    db.session.commit()
    page = client_for(world.author).get(
        f"/portfolio/?competency={HUGE}&status=nonsense&model=%00&page=-3&date_to=2026-13-45")
    assert page.status_code == 200 and "Still listed" in page.get_data(as_text=True)

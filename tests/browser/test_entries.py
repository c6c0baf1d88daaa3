"""Portfolio pages in a real browser: accessible at desktop and 375px, autosave that keeps every
word, and writing that works without JavaScript."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import check_page, sign_in
from tests.factories import PASSWORD


@pytest.fixture
def portfolio_world(db_ctx):
    from portfolio.reviews.models import Comment
    from tests.entries.builders import make_goal, make_statement
    from tests.factories import add_version, competency, make_entry, make_scenario

    s = make_scenario()
    s.entry = make_entry(s.author, cohort=s.cohort, privacy="peers", title="Block starts",
                         competencies=[competency(s.framework, "VP1")])
    s.entry.sections = {**s.entry.sections, "so_what": "Reaction was slow after long talks."}
    add_version(s.entry)
    s.private = make_entry(s.author, cohort=s.cohort, privacy="private", title="Just for me")
    make_goal(s.author, title="Plan an indoor block")
    make_statement(s.author, body="Athletes first.", versions=2)
    db_ctx.add(Comment(entry_id=s.entry.id, author_id=s.developer.id, body="Good detail."))
    db_ctx.commit()
    return s


def working_copy(db_ctx, entry_id):
    from portfolio.entries.models import Entry

    db_ctx.expire_all()
    return db_ctx.scalar(select(Entry).where(Entry.id == entry_id))


def test_portfolio_pages_are_accessible(page, live_server, portfolio_world):
    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.author.email, PASSWORD)
    pages = {
        "portfolio-home": "/portfolio/",
        "entry-choose-model": "/portfolio/entries/new",
        "entry-new-gibbs": "/portfolio/entries/new?model=gibbs",
        "entry-page": f"/portfolio/entries/{s.entry.id}",
        "entry-private": f"/portfolio/entries/{s.private.id}",
        "entry-edit": f"/portfolio/entries/{s.entry.id}/edit",
        "entry-history": f"/portfolio/entries/{s.entry.id}/versions",
        "entry-compare": f"/portfolio/entries/{s.entry.id}/compare/1/2",
        "philosophy": "/portfolio/philosophy",
        "philosophy-history": "/portfolio/philosophy/versions",
        "goals": "/portfolio/goals",
        "goal-new": "/portfolio/goals/new",
    }
    for name, path in pages.items():
        page.goto(base + path)
        check_page(page, name)
    page.goto(f"{base}/portfolio/entries/{s.entry.id}/edit")
    page.get_by_label("Title").fill("")
    page.get_by_label("What?", exact=True).fill("x" * 100_001)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, "entry-edit-errors")


def test_leaving_a_field_autosaves_and_says_when(page, live_server, portfolio_world, db_ctx):
    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.author.email, PASSWORD)
    page.goto(f"{base}/portfolio/entries/{s.entry.id}/edit")
    page.get_by_label("Now what?", exact=True).fill("Film the starts from the side next week.")
    page.get_by_label("Tags").focus()  # leaving the field saves it
    status = page.locator("[data-autosave-status]")
    status.get_by_text("Saved at").wait_for()
    assert working_copy(db_ctx, s.entry.id).sections["now_what"] == (
        "Film the starts from the side next week.")
    # the saved lock version went back into the form, so Save does not see a conflict
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("body")).to_contain_text("Saved as version 3")


def test_a_new_entry_is_created_once_by_autosave_and_then_saved(page, live_server,
                                                                 portfolio_world, db_ctx):
    from portfolio.entries.models import Entry

    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.peer.email, PASSWORD)
    page.goto(f"{base}/portfolio/entries/new?model=what_so_what")
    page.get_by_label("Title").fill("Relay changeovers")
    page.get_by_label("What?", exact=True).fill("We practised upsweep passes.")
    page.get_by_label("So what?", exact=True).focus()
    page.locator("[data-autosave-status]").get_by_text("Saved at").wait_for()
    page.wait_for_url("**/portfolio/entries/*/edit")
    page.get_by_label("So what?", exact=True).fill("Two pairs ran out of the zone.")
    page.get_by_label("Date of the practice").fill("2026-11-20")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("body")).to_contain_text("Saved as version 1")
    db_ctx.expire_all()
    entries = db_ctx.scalars(select(Entry).where(Entry.owner_id == s.peer.id)).all()
    assert len(entries) == 1 and entries[0].sections["so_what"] == "Two pairs ran out of the zone."


def test_text_typed_while_the_server_is_unreachable_is_offered_back(page, live_server,
                                                                    portfolio_world):
    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.author.email, PASSWORD)
    page.goto(f"{base}/portfolio/entries/{s.entry.id}/edit")
    # Really offline (not a blocked route): the save the closing tab sends must fail too.
    page.context.set_offline(True)
    page.get_by_label("What?", exact=True).fill("Words written on a train with no signal.")
    page.get_by_label("Tags").focus()
    page.locator("[data-autosave-status]").get_by_text("kept in this browser").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())  # the unsaved-changes warning
    with page.expect_event("close"):  # the tab is closed while still offline, and is gone
        page.close(run_before_unload=True)
    page.context.set_offline(False)
    later = page.context.new_page()
    later.goto(f"{base}/portfolio/entries/{s.entry.id}/edit")
    words = "Words written on a train with no signal."
    # Chromium may still deliver the save a closing tab sends after the offline switch (the
    # request outlives the page's network emulation). Then the server has the words and the
    # form shows them; otherwise the browser's kept copy is offered back. Either way, no word
    # is lost: wait for one of the two, never for a time.
    later.wait_for_function(
        """words => Boolean(document.querySelector('.stash-notice')) ||
                   Array.from(document.querySelectorAll('textarea')).some(t => t.value === words)""",
        arg=words)
    offer = later.get_by_role("button", name="Put my kept text back")
    if offer.count():
        offer.click()
        later.locator("[data-autosave-status]").get_by_text("Saved at").wait_for()
    assert later.get_by_label("What?", exact=True).input_value() == words
    later.reload()  # and the server has them now
    assert later.get_by_label("What?", exact=True).input_value() == words
    expect(later.locator(".stash-notice")).to_have_count(0)


def test_writing_and_saving_work_without_javascript(browser, live_server, portfolio_world,
                                                    db_ctx):
    s, base = portfolio_world, live_server.url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, s.author.email, PASSWORD)
    page.goto(f"{base}/portfolio/entries/new")
    page.get_by_label("Kolb's learning cycle").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Title").fill("Hurdle rhythm")
    page.get_by_label("Concrete experience").fill("Three-stride rhythm broke at hurdle four.")
    page.get_by_label("Title").press("Enter")  # Enter saves a draft, nothing else
    expect(page.locator("body")).to_contain_text("Draft saved")
    assert page.get_by_label("Concrete experience").input_value().startswith("Three-stride")
    page.get_by_label("Date of the practice").fill("2026-11-02")
    page.get_by_label("Whole cohort").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview").first).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("body")).to_contain_text("Saved as version 1")
    context.close()


def test_choosing_another_model_switches_prompts_and_keeps_the_text(page, live_server,
                                                                    portfolio_world):
    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.author.email, PASSWORD)
    page.goto(f"{base}/portfolio/entries/{s.entry.id}/edit")
    with page.expect_navigation():
        page.get_by_label("Reflection model").select_option("gibbs")
    expect(page.get_by_label("Feelings", exact=True)).to_be_visible()
    assert page.get_by_label("So what?", exact=True).input_value() == (
        "Reaction was slow after long talks.")
    expect(page.locator("body")).to_contain_text("Written under What? So what? Now what?")

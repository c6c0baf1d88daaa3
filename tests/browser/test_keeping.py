"""Never lose a word, and never cry wolf: the browser keeps text until the server has it, a
warning about kept text appears only when text really was lost, a reload never conflicts with
its own autosave, and reviewers' and peers' words are kept like entries."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import PASSWORD

KEPT_PROMPT = "Put my kept text back"


@pytest.fixture
def portfolio_world(db_ctx):
    from tests.entries.builders import make_statement
    from tests.factories import add_version, make_entry, make_scenario

    s = make_scenario()
    s.entry = make_entry(s.author, cohort=s.cohort, privacy="peers", title="Block starts")
    add_version(s.entry)
    make_statement(s.author, body="Athletes first.", versions=1)
    db_ctx.commit()
    return s


def working_copy(db_ctx, entry_id):
    from portfolio.entries.models import Entry

    db_ctx.expire_all()
    return db_ctx.get(Entry, entry_id)


def kept_keys(page) -> list[str]:
    return page.evaluate(
        "Object.keys(localStorage).filter(k => k.indexOf('portfolio-draft:') === 0)")


def expect_nothing_kept(page) -> None:
    """keep.js drops kept text once the page the server answered with has loaded: wait for
    that (a busy machine runs the script after the text is already on screen), with the
    usual timeout, rather than reading localStorage at once."""
    page.wait_for_function(
        "() => !Object.keys(localStorage).some(k => k.indexOf('portfolio-draft:') === 0)")
    assert kept_keys(page) == []


def test_no_kept_text_prompt_after_a_normal_save(page, live_server, portfolio_world):
    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.author.email, PASSWORD)
    edit = f"{base}/portfolio/entries/{s.entry.id}/edit"
    page.goto(edit)
    page.get_by_label("Now what?", exact=True).fill("Film the starts from the side.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved as version")).to_be_visible()
    expect_nothing_kept(page)  # the server confirmed the save: nothing left to offer
    page.goto(edit)
    expect(page.get_by_label("Now what?", exact=True)).to_have_value(
        "Film the starts from the side.")
    expect(page.get_by_role("button", name=KEPT_PROMPT)).to_have_count(0)


def test_no_kept_text_prompt_after_saving_the_philosophy(page, live_server, portfolio_world):
    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.author.email, PASSWORD)
    page.goto(f"{base}/portfolio/philosophy")
    page.locator("textarea[name=body]").fill("Athletes first, and honest feedback.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{base}/portfolio/philosophy")
    expect(page.locator("textarea[name=body]")).to_have_value(
        "Athletes first, and honest feedback.")
    expect(page.get_by_role("button", name=KEPT_PROMPT)).to_have_count(0)


def test_the_two_tab_conflict_page_shows_the_text_without_a_kept_text_prompt(
        page, live_server, portfolio_world):
    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.author.email, PASSWORD)
    edit = f"{base}/portfolio/entries/{s.entry.id}/edit"
    other = page.context.new_page()
    other.goto(edit)
    page.goto(edit)
    other.get_by_label("Now what?", exact=True).fill("The other tab's plan.")
    other.get_by_role("button", name="Save", exact=True).click()
    expect(other.get_by_text("Saved as version")).to_be_visible()
    page.route("**/autosave", lambda route: route.abort())  # only the Save button speaks
    page.get_by_label("Now what?", exact=True).fill("This tab's plan.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("[data-conflict]")).to_be_visible()
    expect(page.get_by_label("Now what?", exact=True)).to_have_value("This tab's plan.")
    expect(page.get_by_role("button", name=KEPT_PROMPT)).to_have_count(0)
    assert kept_keys(page)  # not saved yet, so the browser still keeps it


def test_reload_while_the_autosave_is_on_its_way_is_no_conflict(page, live_server,
                                                                portfolio_world, db_ctx):
    s, base = portfolio_world, live_server.url
    sign_in(page, base, s.author.email, PASSWORD)
    edit = f"{base}/portfolio/entries/{s.entry.id}/edit"
    page.goto(edit)
    text = "Words typed just before pressing F5."
    late, statuses = [], []

    def hold_then_deliver(route):
        request = route.request
        if not late:  # the closing page's autosave: it reaches the server only later
            late.append((request.url, request.post_data, request.headers))
            route.abort()
            return
        url, body, headers = late[0]  # ...here, after the reloaded page has loaded
        answer = page.request.post(url, data=body, headers={
            "Content-Type": headers["content-type"], "X-CSRFToken": headers["x-csrftoken"],
            "Accept": "application/json"})
        statuses.append(answer.status)
        route.continue_()

    page.route("**/autosave", hold_then_deliver)
    page.on("response", lambda response: statuses.append(response.status)
            if response.url.endswith("/autosave") else None)
    page.get_by_label("What?", exact=True).fill(text)
    page.get_by_label("Tags").focus()  # the autosave leaves, and is held back
    page.wait_for_function("() => localStorage.length > 0")
    page.once("dialog", lambda dialog: dialog.accept())  # "Leave?" yes
    page.reload()
    expect(page.get_by_label("What?", exact=True)).to_have_value(text)
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")
    expect(page.get_by_role("button", name=KEPT_PROMPT)).to_have_count(0)
    assert late and 409 not in statuses, statuses
    assert working_copy(db_ctx, s.entry.id).sections["what"] == text


def test_text_written_offline_in_a_tab_that_closes_is_not_lost(page, live_server,
                                                               portfolio_world, db_ctx):
    s, base = portfolio_world, live_server.url
    words = "Words written with no signal."
    sign_in(page, base, s.author.email, PASSWORD)
    edit = f"{base}/portfolio/entries/{s.entry.id}/edit"
    page.goto(edit)
    # Really offline (not a blocked route): the save the closing tab sends must fail too.
    page.context.set_offline(True)
    page.get_by_label("What?", exact=True).fill(words)
    page.get_by_label("Tags").focus()
    expect(page.locator("[data-autosave-status]")).to_contain_text("kept in this browser")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_event("close"):  # the tab is gone before the next one opens
        page.close(run_before_unload=True)
    page.context.set_offline(False)
    later = page.context.new_page()
    later.goto(edit)
    # The closing tab also tries to save as it goes. On a busy machine that request can leave
    # after the network is back (seen in CI: the server answered it), and then the server has
    # the words and there is nothing to offer. Either way not a word is lost: the new tab
    # offers the kept text, or shows the words the server saved.
    prompt = later.get_by_role("button", name=KEPT_PROMPT)
    saved_as_it_closed = later.locator("textarea").filter(has_text=words)
    expect(prompt.or_(saved_as_it_closed)).to_be_visible()
    if prompt.count():
        prompt.click()
        expect(later.get_by_label("What?", exact=True)).to_have_value(words)
        expect(later.locator("[data-autosave-status]")).to_contain_text("Saved at")
    else:
        expect(later.get_by_label("What?", exact=True)).to_have_value(words)
        expect(prompt).to_have_count(0)
    assert working_copy(db_ctx, s.entry.id).sections["what"] == words


@pytest.fixture
def review_world(db_ctx):
    from tests.reviews.builders import scenario_with_entry, submit

    s = scenario_with_entry(sections={"what": "Block starts with five U17 sprinters.",
                                      "so_what": "Reaction was slow.", "now_what": "One cue."})
    s.request = submit(s)
    db_ctx.commit()
    return s


def test_a_peers_comment_is_kept_across_a_reload_until_it_is_posted(page, live_server,
                                                                     review_world):
    s, base = review_world, live_server.url
    sign_in(page, base, s.peer.email, PASSWORD)
    entry_page = f"{base}/portfolio/entries/{s.entry.id}"
    page.goto(entry_page)
    box = page.get_by_label("Add a comment")
    box.fill("Try a partner-resisted start too.")
    page.wait_for_function("() => Object.keys(localStorage).some("
                           "k => k.indexOf('portfolio-draft:form:') === 0)")
    page.goto(entry_page)  # the text was never sent
    page.get_by_role("button", name=KEPT_PROMPT).click()
    expect(page.get_by_label("Add a comment")).to_have_value("Try a partner-resisted start too.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment has been posted.")).to_be_visible()
    expect_nothing_kept(page)
    page.goto(entry_page)
    expect(page.get_by_role("button", name=KEPT_PROMPT)).to_have_count(0)


def test_a_developers_decision_feedback_is_kept_until_the_server_has_it(page, live_server,
                                                                        review_world):
    s, base = review_world, live_server.url
    sign_in(page, base, s.developer.email, PASSWORD)
    request_page = f"{base}/reviews/requests/{s.request.id}"
    page.goto(request_page)
    page.get_by_role("button", name="Start review").click()
    page.get_by_label("Overall feedback").fill("Add a measurable target, then resubmit.")
    page.wait_for_function("() => Object.keys(localStorage).some("
                           "k => k.indexOf('portfolio-draft:form:') === 0)")
    page.once("dialog", lambda dialog: dialog.accept())
    page.goto(request_page)
    page.get_by_role("button", name=KEPT_PROMPT).click()
    expect(page.get_by_label("Overall feedback")).to_have_value(
        "Add a measurable target, then resubmit.")
    # Sent but refused (no decisions chosen): the page shows it again, so the copy stays quietly.
    page.get_by_role("button", name="Record decisions").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_role("button", name=KEPT_PROMPT)).to_have_count(0)
    assert kept_keys(page)

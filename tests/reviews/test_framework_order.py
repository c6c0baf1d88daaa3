"""Competencies are listed in framework order (area, then position), never by code:
the default framework lists VP1, VP2 (first area) before RP1, which sorts first by code."""

from __future__ import annotations

import re

from portfolio.extensions import db
from portfolio.reviews import queries
from tests.reviews.builders import decide, render_panel, scenario_with_entry, submit

FRAMEWORK_ORDER = ["VP1", "VP2", "RP1"]


def _order(page: str, codes=FRAMEWORK_ORDER) -> list[str]:
    found = re.findall(r"\b(VP1|VP2|RP1)\b", page)
    return [code for index, code in enumerate(found) if code not in found[:index]]


def test_the_review_request_form_lists_claimed_competencies_in_framework_order(app):
    s = scenario_with_entry(codes=("RP1", "VP2", "VP1"))
    by_id = queries.competencies_by_id([s.competencies[c].id for c in ("RP1", "VP1", "VP2")])
    assert [item.code for item in by_id.values()] == FRAMEWORK_ORDER
    panel = render_panel(app, s.entry, s.author)
    assert _order(panel) == FRAMEWORK_ORDER


def test_the_developers_competency_filter_is_in_framework_order(app, client, login):
    s = scenario_with_entry()
    login(s.developer)
    page = client.get("/reviews/dashboard").get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="(VP1|VP2|RP1)"', page)
    assert options == FRAMEWORK_ORDER


def test_request_sign_offs_and_the_entry_page_follow_framework_order(app, client, login):
    s = scenario_with_entry(codes=("RP1", "VP1"))
    review_request = submit(s, codes=("RP1", "VP1"))
    decide(s, review_request, {"RP1": ("signed_off", ""), "VP1": ("signed_off", "")})
    assert [item.competency_code for item in queries.request_signoffs(review_request.id)] == \
        ["VP1", "RP1"]
    db.session.commit()
    login(s.author)
    page = client.get(f"/portfolio/entries/{s.entry.id}").get_data(as_text=True)
    claimed = page[page.index('class="tag-list"'):]
    assert _order(claimed) == ["VP1", "RP1"]
    home = client.get("/portfolio/").get_data(as_text=True)
    chips = re.findall(r'class="competency-chip"[^>]*>(\w+)<', home)
    assert chips == ["VP1", "RP1"]


def test_the_returned_review_message_counts_in_words(app):
    from sqlalchemy import select

    from portfolio.notifications.models import Notification

    s = scenario_with_entry()
    review_request = submit(s, codes=("VP1",))
    decide(s, review_request, {"VP1": ("signed_off", "")})
    message = db.session.scalar(select(Notification.message).where(
        Notification.kind == "review_done"))
    assert message.endswith("reviewed “Block starts”: 1 signed off.")
    assert "0 not yet" not in message

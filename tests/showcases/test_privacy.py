"""A candidate's showcases are in their personal-data download and go when they are erased."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from portfolio.extensions import db
from portfolio.privacy.erasure import erase_person
from portfolio.privacy.services import personal_data
from portfolio.showcases import links
from portfolio.showcases.models import Showcase, ShowcaseItem, ShowcaseLink, ShowcaseLinkView
from tests.factories import make_scenario
from tests.showcases.builders import full_showcase


def _world():
    s = make_scenario()
    mine = full_showcase(s)
    link, _ = links.create_link(mine, s.author, label="Club committee")
    links.record_view(link, what="The showcase page", address="203.0.113.5", user_agent="")
    theirs = full_showcase(s, owner=s.peer, title="Pat's showcase")
    db.session.commit()
    return s, mine, theirs


def test_the_download_holds_their_showcases_items_links_and_views_and_no_token(app):
    s, mine, _ = _world()
    document = personal_data(s.author)["showcases"]
    assert [row["title"] for row in document["showcases"]] == ["My coaching year"]
    assert len(document["items"]) == 5
    assert [row["label"] for row in document["links"]] == ["Club committee"]
    assert [row["network"] for row in document["link_views"]] == ["203.0.113.x"]
    text = json.dumps(document, default=str)
    assert "token_hash" not in text and "Pat's showcase" not in text


def test_erasure_removes_their_showcases_and_leaves_others(app):
    s, mine, theirs = _world()
    erase_person(s.admin, s.author)
    db.session.commit()
    assert db.session.scalars(select(Showcase.title)).all() == ["Pat's showcase"]
    assert db.session.scalar(select(func.count(ShowcaseItem.id))) == len(theirs.items)
    assert db.session.scalar(select(func.count(ShowcaseLink.id))) == 0
    assert db.session.scalar(select(func.count(ShowcaseLinkView.id))) == 0

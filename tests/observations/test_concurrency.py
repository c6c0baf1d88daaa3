"""Two tabs at once, against a live server: an observation's edits and a double-clicked
"Reflect on this observation" are settled by the database, and the loser keeps their text."""

from sqlalchemy import func, select

from portfolio.extensions import db
from portfolio.observations.models import Observation, ObservationReflection
from tests.factories import make_scenario
from tests.live import together
from tests.observations.builders import form_data, make_observation


def test_two_tabs_saving_one_observation_at_once_keep_one_and_show_the_other(live_site):
    s = make_scenario()
    observation = make_observation(s)
    template, lock = observation.template, str(observation.lock_version)
    db.session.commit()
    browsers = [live_site.browser_for(s.developer) for _ in range(2)]
    words = ["Tab one: calm starts", "Tab two: relay exchanges"]
    sent = [form_data(template, lock_version=lock, strengths=text) for text in words]
    path = f"/observations/{observation.id}/edit"

    answers = together(2, lambda n: browsers[n].post(path, sent[n]))

    problems = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert not problems, problems
    assert sorted(a.status for a in answers) == [302, 409]
    loser = next(n for n, a in enumerate(answers) if a.status == 409)
    assert words[loser] in answers[loser].text
    db.session.expire_all()
    saved = db.session.get(Observation, observation.id)
    assert saved.strengths == words[1 - loser] and saved.lock_version == int(lock) + 1


def test_a_double_clicked_reflect_starts_one_entry(live_site):
    s = make_scenario()
    observation = make_observation(s)
    db.session.commit()
    browsers = [live_site.browser_for(s.author) for _ in range(3)]
    path = f"/observations/{observation.id}/reflect"

    answers = together(3, lambda n: browsers[n].post(path, {}))

    problems = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert not problems, problems
    assert all(a.status == 302 for a in answers)
    db.session.expire_all()
    links = list(db.session.scalars(select(ObservationReflection)))
    assert len(links) == 1
    from portfolio.entries.models import Entry

    assert db.session.scalar(select(func.count(Entry.id))) == 1
    assert {a.location for a in answers} == {f"/portfolio/entries/{links[0].entry_id}/edit"}

"""The stored progress rows always equal a full recomputation from the facts.

Random sequences of claims, new and deleted entries, review requests (sent, started,
withdrawn, returned, completed), peer and coach developer sign-offs and revocations are run
through the real services; after every step the stored rows must equal what a rebuild would
write, including after a step that was rolled back half-way.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portfolio.entries.models import Entry
from portfolio.entries.services import delete_entry, save_entry
from portfolio.entries.working_copy import EntryDraft
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import ReviewRequest, Signoff
from portfolio.reviews.progress import candidate_progress
from portfolio.reviews.progress_table import (
    Facts,
    computed_facts,
    rebuild_progress,
    stored_facts,
)
from tests.factories import make_entry
from tests.reviews.builders import decide, scenario_with_entry, submit

CODES = ("VP1", "VP2", "RP1")
WHO = st.sampled_from(("author", "peer"))
SOME_CODES = st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True)

OPERATIONS = st.one_of(
    st.tuples(st.just("claim"), WHO, st.lists(st.sampled_from(CODES), max_size=3, unique=True)),
    st.tuples(st.just("new_entry"), WHO, SOME_CODES),
    st.tuples(st.just("delete_entry"), WHO),
    st.tuples(st.just("submit"), WHO, st.integers(min_value=1, max_value=7)),
    st.tuples(st.just("submit"), WHO, st.integers(min_value=1, max_value=7)),
    st.tuples(st.just("start"), st.integers(min_value=0, max_value=1)),
    st.tuples(st.just("withdraw"), st.integers(min_value=0, max_value=1)),
    st.tuples(st.just("decide"), st.integers(min_value=0, max_value=1),
              st.lists(st.booleans(), min_size=3, max_size=3), st.booleans()),
    st.tuples(st.just("peer_signoff"), WHO, st.sampled_from(CODES)),
    st.tuples(st.just("revoke"), st.integers(min_value=0, max_value=20)),
)


class World:
    """The standard scenario with both candidates writing and reviewing each other."""

    def __init__(self):
        s = scenario_with_entry(privacy="cohort", codes=("VP1", "VP2"))
        s.peer_entry = make_entry(s.peer, cohort=s.cohort, title="Hurdle rhythm",
                                  privacy="cohort", competencies=[s.competencies["RP1"]])
        db.session.commit()
        self.s = s
        self.people = {"author": s.author, "peer": s.peer}
        self.entry_ids = {"author": s.entry.id, "peer": s.peer_entry.id}
        self._submit("author", 1)  # a request is open from the start, to withdraw or decide
        db.session.commit()

    @property
    def entries(self) -> dict:
        """Each person's current entry; after a rolled-back new entry, their latest one left."""
        result = {}
        for who, entry_id in self.entry_ids.items():
            entry = db.session.get(Entry, entry_id) or db.session.scalar(
                select(Entry).where(Entry.owner_id == self.people[who].id)
                .order_by(Entry.id.desc()))
            self.entry_ids[who] = entry.id
            result[who] = entry
        return result

    @property
    def candidate_ids(self) -> list[int]:
        return sorted(person.id for person in self.people.values())

    def other(self, who: str):
        return self.people["peer" if who == "author" else "author"]

    def ids(self, codes) -> list[int]:
        return [self.s.competencies[code].id for code in codes]

    def open_request(self, index: int) -> ReviewRequest | None:
        """One of the open requests, whoever asked (None when there is none)."""
        requests = db.session.scalars(select(ReviewRequest).where(
            ReviewRequest.candidate_id.in_(self.candidate_ids),
            ReviewRequest.status.in_(("open", "in_review"))).order_by(ReviewRequest.id)).all()
        return requests[index % len(requests)] if requests else None

    def apply(self, operation) -> None:
        kind, *args = operation
        getattr(self, f"_{kind}")(*args)

    def _claim(self, who, codes):
        save_entry(self.entries[who], EntryDraft(competency_ids=self.ids(codes)),
                   self.people[who])

    def _new_entry(self, who, codes):
        self.entry_ids[who] = make_entry(
            self.people[who], cohort=self.s.cohort, privacy="cohort",
            competencies=[self.s.competencies[code] for code in codes]).id

    def _delete_entry(self, who):
        delete_entry(self.entries[who], self.people[who])
        self.entry_ids[who] = make_entry(self.people[who], cohort=self.s.cohort,
                                         privacy="cohort", published=False).id

    def _submit(self, who, mask):
        """Ask about the codes the latest version claims that the mask picks (else all)."""
        entry = self.entries[who]
        claimed = sorted(claim.competency_id for claim in entry.claims)
        chosen = [item for bit, item in enumerate(claimed) if mask & (1 << bit)] or claimed
        services.submit_for_review(entry, self.people[who], chosen, "")

    def _start(self, index):
        request = self.open_request(index)
        if request is not None:
            services.start_review(request, self.s.developer)

    def _withdraw(self, index):
        request = self.open_request(index)
        if request is not None:
            services.withdraw_request(request, request.candidate)

    def _decide(self, index, signs, returning):
        request = self.open_request(index)
        if request is None:
            return
        decisions = [services.Decision(item.competency_id, "signed_off" if sign else "not_yet",
                                       "Feedback on this competency.")
                     for item, sign in zip(request.competencies, signs, strict=False)]
        services.complete_review(request, self.s.developer, decisions, "Overall.",
                                 request.lock_version, return_for_revision=returning)

    def _peer_signoff(self, who, code):
        services.peer_signoff(self.entries[who], self.other(who), self.s.competencies[code].id,
                              "The plan built towards the main set.")

    def _revoke(self, index):
        valid = db.session.scalars(select(Signoff).where(
            Signoff.candidate_id.in_(self.candidate_ids), Signoff.decision == "signed_off")
            .order_by(Signoff.id)).all()
        valid = [signoff for signoff in valid if signoff.revocation is None]
        if valid:
            services.revoke_signoff(valid[index % len(valid)], self.s.lead, "Recorded in error.")


def assert_table_matches_the_facts(world: World) -> None:
    ids = world.candidate_ids
    assert stored_facts(ids) == computed_facts(ids)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=st.lists(st.tuples(OPERATIONS, st.sampled_from((True, True, True, False))),
                          min_size=1, max_size=20))
def test_incremental_rows_equal_a_full_rebuild_after_any_sequence(app, operations):
    world = World()
    assert_table_matches_the_facts(world)
    for operation, keep in operations:
        try:
            world.apply(operation)
        except DomainError:
            db.session.rollback()
        else:
            if keep:
                db.session.commit()
            else:
                db.session.rollback()  # the step's writes, and its row changes, go together
        db.session.expire_all()
        assert_table_matches_the_facts(world)
    incremental = stored_facts(world.candidate_ids)
    rebuild_progress()
    db.session.commit()
    assert stored_facts(world.candidate_ids) == incremental


def test_a_page_reads_progress_written_earlier_in_its_own_transaction(app):
    s = scenario_with_entry()
    review_request = submit(s, codes=("VP1",))
    services.complete_review(review_request, s.developer,
                             [services.Decision(s.competencies["VP1"].id, "signed_off", "Yes")],
                             "", review_request.lock_version)
    # Not committed yet: the reader still sees the sign-off.
    assert candidate_progress(s.author.id, s.framework).items["VP1"].is_met
    db.session.rollback()
    assert candidate_progress(s.author.id, s.framework).items["VP1"].state == "awaiting_review"


def test_revoking_a_sign_off_takes_its_row_back(app):
    s = scenario_with_entry()
    (signoff,) = decide(s, submit(s, codes=("VP1",)), {"VP1": ("signed_off", "Yes")})
    assert stored_facts([s.author.id])[(s.author.id, "VP1")] == Facts(
        claimed=True, developer_signoffs=1)
    services.revoke_signoff(signoff, s.lead, "Signed against the wrong athlete group.")
    db.session.commit()
    assert stored_facts([s.author.id])[(s.author.id, "VP1")] == Facts(claimed=True)


def test_rebuild_command_corrects_rows_changed_behind_its_back(app, runner):
    s = scenario_with_entry()
    decide(s, submit(s, codes=("VP1",)), {"VP1": ("signed_off", "Yes")})
    from portfolio.reviews.progress_table import CompetencyProgressRow

    db.session.execute(CompetencyProgressRow.__table__.update().values(developer_signoffs=7))
    db.session.commit()
    assert candidate_progress(s.author.id, s.framework).items["VP1"].developer_signoffs == 7
    result = runner.invoke(args=["progress", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "2 corrected" in result.output  # VP1 and VP2 were both bent
    db.session.expire_all()
    assert candidate_progress(s.author.id, s.framework).items["VP1"].developer_signoffs == 1


@pytest.mark.parametrize("codes", [("VP1",), ("VP1", "VP2")])
def test_withdrawing_a_request_clears_awaiting_review(app, codes):
    s = scenario_with_entry()
    review_request = submit(s, codes=codes)
    assert all(stored_facts([s.author.id])[(s.author.id, code)].awaiting_review
               for code in codes)
    services.withdraw_request(review_request, s.author)
    db.session.commit()
    assert not any(fact.awaiting_review for fact in stored_facts([s.author.id]).values())

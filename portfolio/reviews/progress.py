"""Progress per candidate and competency: the stored facts judged by the framework's rule.

Sign-offs and claims match competencies by code, so a sign-off made against one framework
version stays valid in a later version that keeps the code (rollover relies on this). The
facts come from the `competency_progress` table (see progress_table.py), one read however
many candidates are asked about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select

from ..database import built_once
from ..extensions import db
from ..frameworks.models import Competency, CompetencyArea, Framework
from .progress_table import (  # noqa: F401  (rollover reads valid_signoff_counts here)
    Facts,
    refresh_pending_progress,
    stored_facts,
    valid_signoff_counts,
)

STATES = {
    "not_started": ("Not started", "○"),
    "claimed": ("Claimed", "◔"),
    "awaiting_review": ("Awaiting review", "◑"),
    "signed_off": ("Signed off", "●"),
}


@dataclass
class CompetencyProgress:
    competency: Competency
    state: str = "not_started"
    developer_signoffs: int = 0
    peer_signoffs: int = 0

    @property
    def required(self) -> int:
        return self.competency.signoffs_required

    @property
    def achieved(self) -> int:
        """Sign-offs counting toward the rule: k in 'k of n'."""
        return (min(self.developer_signoffs, self.competency.developer_signoffs_required)
                + min(self.peer_signoffs, self.competency.peer_signoffs_required))

    @property
    def label(self) -> str:
        text, _ = STATES[self.state]
        if self.state == "signed_off" or self.achieved:
            return f"{text} ({self.achieved} of {self.required})" if self.state != "signed_off" \
                else f"{text} ({self.required} of {self.required})"
        return text

    @property
    def symbol(self) -> str:
        return STATES[self.state][1]

    @property
    def is_met(self) -> bool:
        return self.state == "signed_off"


@dataclass
class CandidateProgress:
    candidate_id: int
    items: dict[str, CompetencyProgress] = field(default_factory=dict)  # by competency code

    @property
    def met(self) -> int:
        return sum(item.is_met for item in self.items.values())

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return self.summary()[2]

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.met == self.total

    def summary(self) -> tuple[int, int, int]:
        """(met, total, percent), counted once for a row that shows all three."""
        met, total = self.met, self.total
        return met, total, (round(100 * met / total) if total else 0)


def framework_competencies(framework_id: int) -> list[Competency]:
    """Competencies of a framework in area order then position."""
    return competencies_by_framework([framework_id])[framework_id]


def progress_for(candidate_ids: list[int], competencies: list[Competency]
                 ) -> dict[int, CandidateProgress]:
    """Progress of each candidate against the given competencies (one query)."""
    facts = _facts(candidate_ids)
    return {candidate_id: _progress(candidate_id, competencies, facts)
            for candidate_id in candidate_ids}


def progress_for_frameworks(pairs: list[tuple[int, int]]) -> dict[tuple[int, int],
                                                                      CandidateProgress]:
    """Progress for (candidate, framework) pairs from several cohorts (two queries in all)."""
    facts = _facts(sorted({candidate for candidate, _ in pairs}))
    competencies = competencies_by_framework(framework for _, framework in pairs)
    # A page of candidates repeats a few (competency, facts) pairs: each is judged once and
    # the result shared between the candidates' progress (read-only, as the matrix's).
    judged: dict[tuple[int, Facts], CompetencyProgress] = {}
    result = {}
    for candidate, framework in pairs:
        progress = result[candidate, framework] = CandidateProgress(candidate)
        for competency in competencies[framework]:
            fact = facts.get((candidate, competency.code), NOTHING)
            item = judged.get((competency.id, fact))
            if item is None:
                item = judged[competency.id, fact] = judge(competency, fact)
            progress.items[competency.code] = item
    return result


def _facts(candidate_ids: list[int]) -> dict[tuple[int, str], Facts]:
    refresh_pending_progress()
    return stored_facts(candidate_ids)


def _progress(candidate_id: int, competencies: list[Competency], facts) -> CandidateProgress:
    progress = CandidateProgress(candidate_id)
    for competency in competencies:
        progress.items[competency.code] = judge(
            competency, facts.get((candidate_id, competency.code), NOTHING))
    return progress


NOTHING = Facts()


def judge(competency: Competency, fact: Facts = NOTHING) -> CompetencyProgress:
    """One competency's progress from its stored facts, by the framework's rule (no query).

    The result depends only on its arguments, so a page of many candidates may judge each
    distinct (competency, facts) pair once and share the result."""
    item = CompetencyProgress(competency, developer_signoffs=fact.developer_signoffs,
                              peer_signoffs=fact.peer_signoffs)
    item.state = _state(item, fact.awaiting_review, fact.claimed)
    return item


def _state(item: CompetencyProgress, awaiting: bool, claimed: bool) -> str:
    rule = item.competency
    if (item.developer_signoffs >= rule.developer_signoffs_required
            and item.peer_signoffs >= rule.peer_signoffs_required):
        return "signed_off"
    if awaiting:
        return "awaiting_review"
    if claimed or item.developer_signoffs or item.peer_signoffs:
        return "claimed"
    return "not_started"


def candidate_progress(candidate_id: int, framework: Framework) -> CandidateProgress:
    return progress_for([candidate_id], framework_competencies(framework.id))[candidate_id]


@built_once
def _competencies_by_framework_statement():
    return (select(Competency).join(CompetencyArea, Competency.area_id == CompetencyArea.id)
            .where(Competency.framework_id.in_(bindparam("ids", expanding=True)))
            .order_by(CompetencyArea.position, Competency.position, Competency.id))


def competencies_by_framework(framework_ids) -> dict[int, list[Competency]]:
    """Competencies of several frameworks in one query, each list in framework order."""
    result: dict[int, list[Competency]] = defaultdict(list)
    ids = sorted(set(framework_ids))
    if not ids:
        return result
    for competency in db.session.scalars(_competencies_by_framework_statement(), {"ids": ids}):
        result[competency.framework_id].append(competency)
    return result


"""Who may record, read and act on observations. Predicates over the record and the person.

Every relation is taken inside the observation's own cohort (programmes.access.relations_to):
a coach developer of an earlier or later cohort of the same candidate relates to nothing here.
"""

from __future__ import annotations

from ..access import is_manager
from ..consent.models import observation_record_for, peer_may_read
from ..programmes.access import current_membership_in, relations_to
from ..programmes.models import MemberRole
from .models import Observation, ObservationTemplate


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_manage_templates(user) -> bool:
    return is_manager(user)


def is_observed_candidate(user, observation: Observation) -> bool:
    return _signed_in(user) and observation.candidate_id == user.id


def is_observer(user, observation: Observation) -> bool:
    """The person who recorded it, while they still relate to the candidate in that cohort."""
    return (_signed_in(user) and observation.observer_id == user.id
            and bool(relations_to(user, observation.candidate_id, observation.cohort_id)
                     & {"developer", "peer"}))


def can_view_observation(user, observation: Observation) -> bool:
    if is_observed_candidate(user, observation):
        return True
    # Under-18s: withdrawn consent hides it from everyone else; peers need wider consent.
    consent = observation_record_for(observation)
    if consent is not None and consent.is_withdrawn:
        return False
    if is_observer(user, observation):
        return True
    relations = relations_to(user, observation.candidate_id, observation.cohort_id)
    return "developer" in relations or ("peer" in relations and observation.shared_with_peers
                                        and peer_may_read(consent))


def can_edit_observation(user, observation: Observation) -> bool:
    return is_observer(user, observation) and not observation.cohort.is_read_only


def can_share_observation(user, observation: Observation) -> bool:
    return is_observed_candidate(user, observation) and not observation.cohort.is_read_only


def can_reflect_on(user, observation: Observation) -> bool:
    return is_observed_candidate(user, observation)


def observer_relation(user, candidate_id: int, cohort_id: int) -> str | None:
    """"developer" or "peer": how `user` may observe the candidate in that cohort, if at all."""
    if not _signed_in(user) or user.id == candidate_id:
        return None
    membership = current_membership_in(cohort_id, candidate_id)
    if membership is None or membership.role != MemberRole.CANDIDATE:
        return None
    relations = relations_to(user, candidate_id, cohort_id)
    if "developer" in relations:
        return "developer"
    return "peer" if "peer" in relations else None


def can_record_with(relation: str | None, template: ObservationTemplate) -> bool:
    return relation == "developer" or (relation == "peer" and template.peers_may_record)

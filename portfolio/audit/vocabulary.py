"""The audit log in plain English: what each event code means, and its details in words.

Events are stored as codes with `key=value` facts (ids, states, never text a person wrote);
pages and the filter show them through this vocabulary. A code missing here still shows,
as its words ("login.throttled" -> "Login throttled"), so a new event is never hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# code -> what happened, as a person would say it.
EVENTS: dict[str, str] = {
    "login.succeeded": "Signed in",
    "login.failed": "Failed to sign in",
    "logout": "Signed out",
    "password.changed": "Changed their password",
    "password.reset_requested": "Was sent a password reset link",
    "password.reset": "Reset their password with a link",
    "user.invited": "Invited a person",
    "user.invitation_accepted": "Accepted their invitation",
    "user.deactivated": "Deactivated an account",
    "user.reactivated": "Reactivated an account",
    "user.details_changed": "Changed a person's name or email address",
    "user.reset_sent": "Sent a person a password reset link",
    "role.granted": "Granted a role",
    "role.revoked": "Revoked a role",
    "year.created": "Added a programme year",
    "year.updated": "Changed a programme year",
    "year.status_changed": "Moved a programme year on (or back)",
    "cohort.created": "Created a cohort",
    "cohort.updated": "Changed a cohort's settings",
    "cohort.rolled_over": "Started the next year of a cohort",
    "membership.added": "Added a member",
    "membership.status_changed": "Changed a member's status",
    "membership.role_changed": "Changed a member's role",
    "membership.developer_assigned": "Assigned a coach developer",
    "membership.specialisms_changed": "Changed a member's specialisms",
    "members.imported": "Invited members from a CSV file",
    "peer_group.created": "Created a peer group",
    "peer_group.changed": "Changed a peer group",
    "peer_group.deleted": "Deleted a peer group",
    "framework.created": "Created a competency framework",
    "framework.imported": "Imported a competency framework",
    "framework.published": "Published a competency framework",
    "framework.retired": "Retired a competency framework",
    "framework.version_created": "Started a new framework version",
    "framework.deleted": "Deleted a draft framework",
    "entry.deleted": "Deleted an entry",
    "entry.version_restored": "Restored an earlier version of an entry",
    "evidence.uploaded": "Uploaded evidence",
    "evidence.deleted": "Deleted evidence",
    "review.requested": "Asked for a review",
    "review.withdrawn": "Withdrew a review request",
    "review.completed": "Completed a review",
    "review.returned": "Returned an entry for revision",
    "signoff.recorded": "Recorded a coach developer's decision",
    "signoff.peer": "Signed off a competency as a peer",
    "signoff.revoked": "Revoked a sign-off",
    "comment.moderated": "Removed a comment",
    "programme.completed": "Recorded completion of the programme",
    "programme.completion_revoked": "Revoked a programme completion",
    "panel.scheduled": "Scheduled a review panel",
    "panel.cancelled": "Cancelled a review panel",
    "panel.showcase_submitted": "Submitted a showcase to a review panel",
    "panel.outcome_recorded": "Recorded a review panel's outcome",
    "panel_outcome_option.added": "Added a panel outcome option",
    "panel_outcome_option.changed": "Changed a panel outcome option",
    "export.requested": "Asked for an export",
    "export.retried": "Retried an export",
    "export.completed": "An export finished",
    "export.failed": "An export failed",
    "export.download": "Downloaded an export",
    "export.progress_csv": "Downloaded the progress matrix (CSV)",
    "export.progress_xlsx": "Downloaded the progress matrix (spreadsheet)",
    "export.portfolio_pdf": "Downloaded a portfolio (PDF)",
    "export.portfolio_html": "Downloaded a portfolio (web page)",
    "export.portfolio_page": "Opened a portfolio as a web page",
    "audit.exported": "Downloaded the audit log",
    "privacy.exported": "Downloaded their personal data",
    "privacy.erased": "Erased a person's data",
    "showcase.created": "Made a showcase",
    "showcase.shared": "Changed who a showcase is shared with",
    "showcase.deleted": "Deleted a showcase",
    "showcase.submitted": "Submitted a copy of a showcase",
    "showcase.link_created": "Made a secret link to a showcase",
    "showcase.link_revoked": "Revoked a secret link to a showcase",
    "api.token_created": "Made an API token",
    "api.token_revoked": "Revoked an API token",
    "api.client_registered": "Registered an API client system",
    "api.client_revoked": "Revoked an API client system",
    "webhook.endpoint_added": "Registered a webhook endpoint",
    "webhook.endpoint_enabled": "Switched a webhook endpoint on",
    "webhook.endpoint_disabled": "Switched a webhook endpoint off",
    "webhook.endpoint_deleted": "Removed a webhook endpoint",
    "sso.linked": "Linked their account to the federation's sign-in",
    "user.provisioned": "Made an account on first single sign-on",
    "quicksign.asked": "Showed a code for an in-person sign-off",
    "quicksign.used": "Signed off in person with a code",
    "feedback.requested": "Asked someone outside the app for feedback",
    "feedback.withdrawn": "Withdrew a request for external feedback",
    "feedback.given": "External feedback was given through a link",
    "feedback.shared": "Changed who external feedback is shared with",
    "consent.flagged": "Marked evidence as showing athletes under 18",
    "consent.recorded": "Recorded a parent's or carer's consent",
    "consent.withdrawn": "Withdrew consent for evidence showing athletes under 18",
    "consent.purged": "Deleted evidence whose consent was withdrawn",
    "consent.report_downloaded": "Downloaded a cohort's consent report",
    "observation.deleted": "Deleted an observation whose consent was withdrawn",
}

# A decision changes what a sign-off event says.
DECISION_WORDS = {"signed_off": "signed off", "not_yet": "not yet"}
ROLE_WORDS = {"admin": "admin", "programme_lead": "programme lead", "candidate": "candidate",
              "coach_developer": "coach developer", "peer": "peer"}
TARGET_WORDS = {
    "ReviewRequest": "review request", "Signoff": "sign-off", "Entry": "entry",
    "Evidence": "evidence", "Framework": "framework", "Cohort": "cohort",
    "ProgrammeYear": "programme year", "CohortMembership": "membership", "PeerGroup": "peer group",
    "Job": "export", "Comment": "comment", "MemberImport": "member list",
    "Pathway": "pathway", "Specialism": "specialism", "Showcase": "showcase",
    "ReviewPanel": "review panel", "OutcomeOption": "panel outcome option",
}
# Facts that only a machine needs (fingerprints, file digests): kept in the CSV, not shown.
MACHINE_FACTS = {"content_hash", "file_sha256", "account"}
PERSON_FACTS = {"candidate_id": "candidate", "user_id": "member", "developer_id": "coach developer",
                "chair_id": "chair"}

_FACT = re.compile(r"(?:^|, )([a-z_]+)=")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass
class Described:
    title: str
    details: list[str] = field(default_factory=list)


def event_choices() -> list[tuple[str, str]]:
    """(code, words) for the filter, alphabetical by the words."""
    return sorted(EVENTS.items(), key=lambda item: item[1])


def title_for(action: str) -> str:
    return EVENTS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()


def facts_of(summary: str) -> dict[str, str]:
    """The `key=value, key=value` summary back as a dict (values may hold commas)."""
    found = list(_FACT.finditer(summary or ""))
    facts = {}
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(summary)
        facts[match.group(1)] = summary[match.end():end]
    return facts


def person_ids(events) -> set[int]:
    """Every account an event names (actor, target person, candidate, member...)."""
    ids = set()
    for event in events:
        if event.actor_id:
            ids.add(event.actor_id)
        if event.target_type == "User" and event.target_id:
            ids.add(event.target_id)
        for key in PERSON_FACTS:
            value = facts_of(event.summary).get(key, "")
            if value.isdigit():
                ids.add(int(value))
    return ids


def describe(event, names: dict[int, str]) -> Described:
    """What happened and its details in words; `names` maps account ids to display names."""
    facts = facts_of(event.summary)
    title = title_for(event.action)
    if event.action == "signoff.recorded" and facts.get("decision") == "signed_off":
        title = "Signed off a competency"
    elif event.action == "signoff.recorded" and facts.get("decision") == "not_yet":
        title = "Recorded “not yet” for a competency"
    lines = [_target(event, names)]
    if "previous" in facts and "status" in facts:
        lines.append(f"From {_words(facts.pop('previous'))} to {_words(facts.pop('status'))}")
    lines += [_fact(key, value, names) for key, value in facts.items()]
    return Described(title, [line for line in lines if line])


def _words(value: str) -> str:
    return ROLE_WORDS.get(value) or value.replace("_", " ")


def person(ident, names: dict[int, str]) -> str:
    try:
        number = int(ident)
    except (TypeError, ValueError):
        return "nobody"
    if not number:
        return "nobody"
    return names.get(number) or f"a former member (account {number})"


def _target(event, names) -> str:
    if not event.target_type:
        return ""
    if event.target_type == "User":  # their own sign-in, password...: the Who column says it
        return "" if event.target_id == event.actor_id else \
            f"Person: {person(event.target_id, names)}"
    words = TARGET_WORDS.get(event.target_type) or _CAMEL.sub(
        " ", event.target_type).lower()  # FeedbackRequest: "feedback request"
    return f"{words[0].upper()}{words[1:]} #{event.target_id}" if event.target_id else ""


def _fact(key: str, value: str, names) -> str:
    if key in MACHINE_FACTS:
        return ""
    if key in PERSON_FACTS:
        label = PERSON_FACTS[key]
        return f"{label[0].upper()}{label[1:]}: {person(value, names)}"
    if key == "decision":
        return f"Decision: {DECISION_WORDS.get(value, value)}"
    if key == "role":
        return f"Role: {_words(value)}"
    if key == "restored":
        return f"Brought back version {value}"
    if key in ("competency", "competencies"):
        return f"Competenc{'y' if ' ' not in value.strip() else 'ies'}: {value}"
    if key == "entry_id":
        return f"Entry #{value}"
    if key in ("version", "new_version"):
        return f"{'New version' if key == 'new_version' else 'Version'} {value}"
    if key == "request_id":
        return f"Review request #{value}"
    if key == "address" or not value.strip():  # an empty fact says nothing ("Replaced: ")
        return ""
    if key == "relationship":
        return f"Relationship: {_words(value)}"
    words = key.replace("_", " ")
    return f"{words[0].upper()}{words[1:]}: {value}"

"""Every table that holds data about a person, and how export and erasure treat it.

tests/privacy/test_registry.py compares this with the schema: a new table that refers to
users (or holds an email address) fails the suite until it is listed here with a decision.
"""

from __future__ import annotations

from dataclasses import dataclass

# What erasure does with the rows about the person.
DELETE = "delete"  # the rows go
KEEP = "keep"  # kept as a qualification or programme record, naming only the pseudonymised id
PSEUDONYMISE = "pseudonymise"  # the row stays, personal fields are overwritten
REDACT = "redact"  # the row stays as a placeholder, its text is removed
DELETE_UNLESS_RECORD = "delete unless a sign-off or review request refers to it"
ERASE_ACTIONS = (DELETE, KEEP, PSEUDONYMISE, REDACT, DELETE_UNLESS_RECORD)


@dataclass(frozen=True)
class Handling:
    export: str  # the key of personal_data() that carries these rows
    erase: str  # one of ERASE_ACTIONS
    why: str = ""


PERSONAL_DATA_TABLES: dict[str, Handling] = {
    "users": Handling("account", PSEUDONYMISE,
                      "the row stays so sign-offs keep a reviewer and candidate"),
    "account_tokens": Handling("account_links", DELETE),
    "login_attempts": Handling("login_attempts", DELETE, "matched by email address"),
    "password_reset_requests": Handling("password_reset_requests", DELETE,
                                        "matched by email address"),
    "cohort_memberships": Handling("memberships", KEEP,
                                   "enrolment and completion records of the programme"),
    "membership_specialisms": Handling("memberships", KEEP, "part of the membership"),
    "peer_group_members": Handling("memberships", DELETE, "an erased person leaves their group"),
    "member_imports": Handling("member_imports", DELETE,
                               "invitation lists they uploaded: other people's addresses"),
    "entries": Handling("entries", DELETE_UNLESS_RECORD),
    "entry_versions": Handling("entries", DELETE_UNLESS_RECORD, "with their entry"),
    "entry_competencies": Handling("entries", DELETE_UNLESS_RECORD, "with their entry"),
    "entry_tags": Handling("entries", DELETE_UNLESS_RECORD, "with their entry"),
    "entry_evidence": Handling("entries", DELETE, "links go with the evidence"),
    "evidence": Handling("evidence", DELETE, "rows and files"),
    "consent_records": Handling("consent_records", DELETE,
                                "consent for their under-18 evidence: names a parent or carer"),
    "upload_sessions": Handling("unfinished_uploads", DELETE,
                                "resumable uploads in progress, with their partial files "
                                "(never the session's URL token in the download)"),
    "philosophy_statements": Handling("philosophy", DELETE),
    "philosophy_versions": Handling("philosophy", DELETE),
    "goals": Handling("goals", DELETE),
    "goal_notes": Handling("goals", DELETE),
    "goal_competencies": Handling("goals", DELETE),
    "draft_rescues": Handling("kept_drafts", DELETE),
    "entry_reads": Handling("entries_read", DELETE,
                            "which version of others' shared entries they last opened"),
    "comments": Handling("comments_written", REDACT,
                         "the thread keeps its shape; the text is removed"),
    "review_requests": Handling("review_requests", KEEP,
                                "qualification records; open ones are withdrawn or unassigned"),
    "review_request_competencies": Handling("review_requests", KEEP, "part of the request"),
    "signoffs": Handling("signoffs", KEEP, "append-only qualification records"),
    "signoff_revocations": Handling("signoff_revocations", KEEP, "append-only"),
    "programme_completions": Handling("completions", KEEP, "append-only"),
    "programme_completion_revocations": Handling("completion_revocations", KEEP, "append-only"),
    "credentials": Handling("credentials", PSEUDONYMISE,
                            "revoked as withdrawn at the holder's request; the document keeps "
                            "no name or address hash, so the public page names nobody"),
    "competency_progress": Handling("signoffs", KEEP, "derived from the sign-offs, claims and "
                                    "requests; recomputed from what erasure leaves"),
    "notifications": Handling("notifications", DELETE),
    "search_documents": Handling("entries", DELETE_UNLESS_RECORD,
                                 "the search index of their own text, rebuilt from what erasure "
                                 "leaves: only entries kept as records stay findable"),
    "showcases": Handling("showcases", DELETE, "their own curated pages"),
    "showcase_items": Handling("showcases", DELETE, "with their showcase"),
    "showcase_links": Handling("showcases", DELETE, "secret links go with the showcase"),
    "showcase_link_views": Handling("showcases", DELETE,
                                    "who opened their links: shown to the owner, erased with it"),
    "feedback_requests": Handling("external_feedback", DELETE,
                                  "requests they sent for external feedback (never the token's "
                                  "hash in the download), with the feedback given"),
    "external_feedback": Handling("external_feedback", DELETE, "with its request"),
    "review_panels": Handling("review_panels", KEEP,
                              "the end-of-programme assessment: a qualification record"),
    "panel_members": Handling("review_panels", KEEP,
                              "who sat on a panel is part of its record"),
    "panel_outcomes": Handling("review_panels", KEEP,
                               "append-only qualification records, like completions"),
    "panel_notes": Handling("panel_notes_written", DELETE,
                            "a member's working notes, not the record (the outcome's reasons "
                            "are): in the writer's download, never the candidate's; erased "
                            "with the writer or with the candidate they are about"),
    "quick_sign_codes": Handling("quick_sign_codes", DELETE,
                                 "in-person sign-off codes they showed or used (never the "
                                 "code's hash); the decisions made with them are sign-offs"),
    "sso_identities": Handling("sso_identities", DELETE,
                               "the provider accounts linked to theirs; an erased account "
                               "can no longer be signed in to through the provider"),
    "observations": Handling("observations", DELETE,
                             "observations of their sessions go; those they recorded of "
                             "others stay with that candidate, naming the pseudonymised id"),
    "observation_competencies": Handling("observations", DELETE, "with their observation"),
    "observation_reflections": Handling("observations", DELETE,
                                        "with the observation or the entry"),
    "observation_templates": Handling("observations", KEEP,
                                      "programme reference material; names only the "
                                      "pseudonymised id of the lead who wrote it"),
    "api_tokens": Handling("api_access", DELETE,
                           "their API tokens (never a secret's hash in the download)"),
    "api_rate_windows": Handling("api_access", DELETE, "their tokens' request counts"),
    "api_clients": Handling("api_access", DELETE,
                            "client systems they registered stop working: another lead "
                            "registers the system again"),
    "idempotency_keys": Handling("sent_once_keys", DELETE,
                                 "the keys their phone sent forms with; what the forms made "
                                 "stays under its own rules"),
    "webhook_deliveries": Handling("webhook_deliveries", DELETE,
                                   "events about them queued or sent to the federation's "
                                   "systems (ids only; names are read when sent)"),
    "jobs": Handling("jobs", DELETE, "with their result files"),
    "outbox_messages": Handling("outbox_messages", DELETE, "matched by email address"),
    "audit_events": Handling("audit_events", KEEP,
                             "append-only; names people only by account id, never by email"),
}

# Columns that identify a person without a foreign key to users.id.
USER_ID_COLUMNS = {("audit_events", "actor_id")}
EMAIL_COLUMNS = {("login_attempts", "email"), ("outbox_messages", "to_address"),
                 ("password_reset_requests", "email")}

"""A person with a row in every table that can hold data about them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portfolio.audit.services import record
from portfolio.auth.models import AccountToken, LoginAttempt, PasswordResetRequest
from portfolio.database import utcnow
from portfolio.entries.models import (
    DraftRescue,
    EntryRead,
    EntryTag,
    Goal,
    GoalNote,
    PhilosophyStatement,
    PhilosophyVersion,
)
from portfolio.evidence.models import EntryEvidence
from portfolio.exports.models import Job
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.notifications.models import Notification
from portfolio.programmes.models import MemberImport, Specialism
from portfolio.reviews.models import (
    Comment,
    ProgrammeCompletion,
    ReviewRequest,
    ReviewRequestCompetency,
    SignoffRevocation,
)
from tests.evidence.builders import store
from tests.factories import competency, make_entry, make_scenario
from tests.programmes.builders import make_signoff


def world_with_everything():
    """make_scenario() where the author has data in every personal table, and others too."""
    s = make_scenario()
    author, vp1 = s.author, competency(s.framework, "VP1")
    s.private_entry = make_entry(author, cohort=s.cohort, privacy="private",
                                 title="My private doubts")
    db.session.add(EntryTag(entry_id=s.private_entry.id, name="doubts"))
    s.plain_entry = make_entry(author, cohort=s.cohort, privacy="peers",
                               title="Unreviewed sprint session")
    s.signed_entry = make_entry(author, cohort=s.cohort, privacy="peers",
                                title="Signed block starts", competencies=[vp1])
    s.signoff = make_signoff(author, s.framework, "VP1", s.developer, entry=s.signed_entry)
    s.peer_entry = make_entry(s.peer, cohort=s.cohort, privacy="peers", title="Peer relays")
    s.signoff_by_author = make_signoff(s.peer, s.framework, "VP1", author, role="peer",
                                       entry=s.peer_entry)
    # The author once held the lead role and revoked a sign-off (so the row names them).
    db.session.add(SignoffRevocation(signoff_id=s.signoff_by_author.id,
                                     revoked_by_id=author.id, reason="Wrong version"))
    request = ReviewRequest(entry_id=s.signed_entry.id,
                            entry_version_id=s.signed_entry.versions[-1].id,
                            candidate_id=author.id, cohort_id=s.cohort.id, status="open",
                            due_on=date.today() + timedelta(days=14), message="Please look")
    db.session.add(request)
    db.session.flush()
    db.session.add(ReviewRequestCompetency(request_id=request.id, competency_id=vp1.id))
    s.request = request
    s.comment = Comment(entry_id=s.peer_entry.id, author_id=author.id,
                        body="Lovely relay changeovers, Sam looked sharp")
    s.comment_on_private = Comment(entry_id=s.plain_entry.id, author_id=s.peer.id,
                                   body="Peer's note on the author's entry")
    db.session.add_all([s.comment, s.comment_on_private])
    statement = PhilosophyStatement(owner_id=author.id, body="Athlete-centred", privacy="developers",
                                    latest_version_number=1)
    db.session.add(statement)
    db.session.flush()
    db.session.add(PhilosophyVersion(statement_id=statement.id, number=1, body="Athlete-centred",
                                     content_hash="0" * 64))
    goal = Goal(owner_id=author.id, title="Improve feedback", competencies=[vp1])
    db.session.add(goal)
    db.session.flush()
    db.session.add(GoalNote(goal_id=goal.id, body="Tried the sandwich method"))
    db.session.add_all([
        AccountToken(user_id=author.id, purpose="reset", token_hash="a" * 64,
                     expires_at=utcnow() + timedelta(hours=1)),
        LoginAttempt(email=author.email, address="192.0.2.1", succeeded=False),
        LoginAttempt(email=s.peer.email, address="192.0.2.2", succeeded=False),
        PasswordResetRequest(email=author.email, address="192.0.2.1"),
        DraftRescue(key_hash="b" * 64, user_id=author.id, target="new_entry",
                    payload={"title": ["Rescued draft"]}),
        Notification(user_id=author.id, kind="comment", message="Pat commented"),
        Job(requested_by_id=author.id, kind="personal_archive", params={"user_id": author.id}),
        OutboxMessage(to_address=author.email, subject="Reset", body_text="Your link"),
        OutboxMessage(to_address=s.peer.email, subject="Hello", body_text="For the peer"),
        MemberImport(cohort_id=s.cohort.id, created_by_id=author.id, file_digest="c" * 64,
                     rows=[{"line": 2, "email": "someone@example.test"}]),
        ProgrammeCompletion(membership_id=s.author_membership.id, recorded_by_id=s.lead.id),
        EntryRead(user_id=author.id, entry_id=s.peer_entry.id, version_number=1),
    ])
    record("entry.saved", actor=author, target=s.plain_entry)
    _panels(s)
    _revoked_completion_and_credential(s)
    db.session.commit()
    s.evidence = store(author, "plan.pdf", title="Session plan")
    db.session.add(EntryEvidence(entry_id=s.plain_entry.id, evidence_id=s.evidence.id))
    s.author_membership.specialisms.append(db.session.scalars(select(Specialism)).first())
    from tests.quicksign.builders import code_for_privacy

    code_for_privacy(s)
    from tests.webhooks.builders import delivery_for_privacy

    delivery_for_privacy(s)
    from tests.offline.builders import key_for_privacy

    key_for_privacy(s)
    _showcase(s)
    _api_access(s)
    _external_feedback(s)
    _observation(s)
    _sso_identity(s)
    from tests.consent.builders import consent_for_privacy

    consent_for_privacy(s)
    from portfolio.evidence import resumable

    resumable.start(author, filename="long clip.mp4", size=10, sha256="d" * 64)
    db.session.commit()
    return s


def _sso_identity(s):
    """The author's account at the federation's sign-in provider."""
    from portfolio.sso.models import SsoIdentity

    db.session.add(SsoIdentity(user=s.author, issuer="https://id.federation.example",
                               subject="author-0001", email_at_link=s.author.email))


def _observation(s):
    """The developer's observation of the author's session, linked to a competency, and the
    reflection the author started from it."""
    from portfolio.observations.services import reflect_on
    from tests.factories import competency
    from tests.observations.builders import make_observation

    s.observation = make_observation(s, competency_ids=[competency(s.framework, "VP1").id])
    reflect_on(s.author, s.observation)


def _api_access(s):
    """The author's API token with a request counted, and a client system they registered
    (when they held the lead role)."""
    from portfolio.api.models import ApiClient, ApiRateWindow
    from portfolio.api.services import create_personal_token

    token, _ = create_personal_token(s.author, "Spreadsheet", "read", ["entries"], 30)
    db.session.add_all([
        ApiRateWindow(token_id=token.id, window_start=1, hits=3),
        ApiClient(client_id="cl_author", secret_hash="d" * 64, name="Club system",
                  created_by_id=s.author.id, scopes=["read:cohorts"], year_ids=[s.year.id])])


def _showcase(s):
    """The author's showcase with an item, a secret link and one view through it."""
    from portfolio.showcases import links, services

    s.showcase = services.create_showcase(s.author, title="My showcase")
    services.add_evidence(s.showcase, s.author, evidence_id=s.evidence.id, expected_lock=None)
    link, _ = links.create_link(s.showcase, s.author, label="Club")
    links.record_view(link, what="The showcase page", address="203.0.113.9",
                      user_agent="Firefox/128.0")


def _revoked_completion_and_credential(s):
    """The author's completion, revoked, and the credential issued for it (revoked too)."""
    from portfolio.credentials.models import Credential
    from portfolio.reviews.models import ProgrammeCompletionRevocation

    db.session.flush()
    completion = db.session.scalar(select(ProgrammeCompletion).where(
        ProgrammeCompletion.membership_id == s.author_membership.id))
    revocation = ProgrammeCompletionRevocation(completion_id=completion.id,
                                               revoked_by_id=s.lead.id, reason="Recorded early")
    db.session.add(revocation)
    db.session.flush()
    s.credential = Credential(completion_id=completion.id, user_id=s.author.id,
                              membership_id=s.author_membership.id,
                              document={"credentialSubject": {"identifier": [
                                  {"identityType": "name", "identityHash": s.author.display_name,
                                   "hashed": False}]}},
                              revoked_at=revocation.created_at,
                              revocation_reason=revocation.reason)
    db.session.add(s.credential)


def _panels(s):
    """A decided panel about the author, and the author's own notes on a peer's panel."""
    from portfolio.panels.models import (
        PanelMember,
        PanelNote,
        PanelOutcome,
        PanelStatus,
        ReviewPanel,
    )

    def panel(candidate, status):
        item = ReviewPanel(cohort_id=s.cohort.id, candidate_id=candidate.id,
                           panel_on=date.today(), window_opens_on=date.today(),
                           window_closes_on=date.today(), chair_id=s.lead.id, status=status)
        item.members.append(PanelMember(user_id=s.lead.id, seat="lead"))
        db.session.add(item)
        db.session.flush()
        return item

    s.panel = panel(s.author, PanelStatus.DECIDED)
    db.session.add_all([
        PanelOutcome(panel_id=s.panel.id, option_label="Not yet", reasons="More observations",
                     decided_by_id=s.lead.id),
        PanelNote(panel_id=s.panel.id, author_id=s.lead.id, body="Lead's private panel note")])
    peer_panel = panel(s.peer, PanelStatus.SCHEDULED)
    peer_panel.members.append(PanelMember(user_id=s.author.id, seat="lead"))
    db.session.add(PanelNote(panel_id=peer_panel.id, author_id=s.author.id,
                             body="Author's note on the peer's panel"))


def _external_feedback(s):
    """Feedback the author asked a club coach for, and got, through a one-time link."""
    from tests.feedback.builders import answered

    answered(s)

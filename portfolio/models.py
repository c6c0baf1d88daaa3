"""Import every feature's models so SQLAlchemy and Alembic see the whole schema."""

from .api.models import ApiClient, ApiRateWindow, ApiToken  # noqa: F401
from .audit.models import APPEND_ONLY_TABLES as _AUDIT_APPEND_ONLY
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import AccountToken, LoginAttempt, PasswordResetRequest, User  # noqa: F401
from .consent.models import ConsentRecord  # noqa: F401
from .credentials.models import Credential  # noqa: F401
from .entries.models import (  # noqa: F401
    Entry,
    EntryCompetency,
    EntryTag,
    EntryVersion,
    Goal,
    GoalNote,
    PhilosophyStatement,
    PhilosophyVersion,
)
from .evidence.models import EntryEvidence, Evidence  # noqa: F401
from .evidence.resumable import UploadSession  # noqa: F401
from .exports.models import Job  # noqa: F401
from .feedback.models import ExternalFeedback, FeedbackRequest  # noqa: F401
from .frameworks.models import Competency, CompetencyArea, Framework  # noqa: F401
from .mail.models import OutboxMessage  # noqa: F401
from .notifications.models import Notification  # noqa: F401
from .observations.models import (  # noqa: F401
    Observation,
    ObservationReflection,
    ObservationTemplate,
)
from .offline.models import SentOnceKey  # noqa: F401
from .panels.models import APPEND_ONLY_TABLES as _PANEL_APPEND_ONLY
from .panels.models import (  # noqa: F401
    OutcomeOption,
    PanelMember,
    PanelNote,
    PanelOutcome,
    ReviewPanel,
)
from .programmes.models import (  # noqa: F401
    Cohort,
    CohortMembership,
    MemberImport,
    Pathway,
    PeerGroup,
    PeerGroupMember,
    ProgrammeYear,
    Specialism,
)
from .quicksign.models import QuickSignCode  # noqa: F401
from .reviews.models import APPEND_ONLY_TABLES as _REVIEW_APPEND_ONLY
from .reviews.models import (  # noqa: F401
    Comment,
    ProgrammeCompletion,
    ProgrammeCompletionRevocation,
    ReviewRequest,
    ReviewRequestCompetency,
    Signoff,
    SignoffRevocation,
)
from .reviews.progress_table import CompetencyProgressRow  # noqa: F401
from .search.models import SearchDocument  # noqa: F401
from .showcases.models import (  # noqa: F401
    Showcase,
    ShowcaseItem,
    ShowcaseLink,
    ShowcaseLinkView,
)
from .sso.models import SsoIdentity  # noqa: F401
from .webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: F401

# Tables whose rows the database itself refuses to UPDATE or DELETE.
APPEND_ONLY_TABLES = [*_AUDIT_APPEND_ONLY, *_REVIEW_APPEND_ONLY, *_PANEL_APPEND_ONLY]

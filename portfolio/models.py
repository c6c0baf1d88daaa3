"""Import every feature's models so SQLAlchemy and Alembic see the whole schema."""

from .audit.models import AuditEvent  # noqa: F401
from .auth.models import AccountToken, LoginAttempt, User  # noqa: F401
from .mail.models import OutboxMessage  # noqa: F401

"""entries reviewed with competencies to revisit read "reviewed", not "returned"

Before the one review-status vocabulary, an entry whose latest review was completed with a
"not yet" was stored as "returned" (its badge said "Returned for revision" although nobody
returned it). The badge is now derived when a page is drawn; this moves the stored value the
portfolio's status filter reads to "reviewed" for exactly those entries: stored "returned" and
their latest request that was not withdrawn is "completed". Entries a reviewer really returned
keep "returned".

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 11:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# Entries whose latest review request that was not withdrawn has the given status.
UPGRADE = """
UPDATE entries SET review_status = 'reviewed'
 WHERE review_status = 'returned'
   AND (SELECT r.status FROM review_requests r
         WHERE r.entry_id = entries.id AND r.status != 'withdrawn'
         ORDER BY r.created_at DESC, r.id DESC LIMIT 1) = 'completed'
"""
DOWNGRADE = """
UPDATE entries SET review_status = 'returned'
 WHERE review_status = 'reviewed'
   AND (SELECT r.status FROM review_requests r
         WHERE r.entry_id = entries.id AND r.status != 'withdrawn'
         ORDER BY r.created_at DESC, r.id DESC LIMIT 1) = 'completed'
"""


def upgrade():
    op.execute(UPGRADE)


def downgrade():
    op.execute(DOWNGRADE)

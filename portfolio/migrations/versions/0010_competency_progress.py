"""competency_progress: stored progress facts per candidate and competency code

One row per candidate and code with anything to show: claimed on a saved entry, asked about in
an open review request, and the valid coach developer and peer sign-offs. Pages read these rows
instead of recounting sign-offs on every request; every write to claims, requests, sign-offs or
revocations recomputes the candidate's rows in its own transaction. The upgrade fills the table
from the facts already stored (the same rules as portfolio/reviews/progress_table.py).

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import portfolio.database

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None

FILL = """
INSERT INTO competency_progress (candidate_id, competency_code, claimed, awaiting_review,
                                 developer_signoffs, peer_signoffs, updated_at)
SELECT k.candidate_id, k.code,
       EXISTS (SELECT 1 FROM entries e
               JOIN entry_competencies ec ON ec.entry_id = e.id
               JOIN competencies c ON c.id = ec.competency_id
               WHERE e.owner_id = k.candidate_id AND c.code = k.code
                 AND e.status = 'published'),
       EXISTS (SELECT 1 FROM review_requests r
               JOIN review_request_competencies rc ON rc.request_id = r.id
               JOIN competencies c ON c.id = rc.competency_id
               WHERE r.candidate_id = k.candidate_id AND c.code = k.code
                 AND r.status IN ('open', 'in_review')),
       (SELECT count(DISTINCT s.entry_id) FROM signoffs s
        LEFT JOIN signoff_revocations v ON v.signoff_id = s.id
        WHERE s.candidate_id = k.candidate_id AND s.competency_code = k.code
          AND s.role = 'coach_developer' AND s.decision = 'signed_off' AND v.id IS NULL),
       (SELECT count(DISTINCT s.reviewer_id) FROM signoffs s
        LEFT JOIN signoff_revocations v ON v.signoff_id = s.id
        WHERE s.candidate_id = k.candidate_id AND s.competency_code = k.code
          AND s.role = 'peer' AND s.decision = 'signed_off' AND v.id IS NULL),
       CURRENT_TIMESTAMP
FROM (
    SELECT s.candidate_id AS candidate_id, s.competency_code AS code FROM signoffs s
    LEFT JOIN signoff_revocations v ON v.signoff_id = s.id
    WHERE s.decision = 'signed_off' AND v.id IS NULL
    UNION
    SELECT e.owner_id, c.code FROM entries e
    JOIN entry_competencies ec ON ec.entry_id = e.id
    JOIN competencies c ON c.id = ec.competency_id
    WHERE e.status = 'published'
    UNION
    SELECT r.candidate_id, c.code FROM review_requests r
    JOIN review_request_competencies rc ON rc.request_id = r.id
    JOIN competencies c ON c.id = rc.competency_id
    WHERE r.status IN ('open', 'in_review')
) k
"""


def upgrade():
    op.create_table('competency_progress',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('competency_code', sa.String(length=32), nullable=False),
    sa.Column('claimed', sa.Boolean(), nullable=False),
    sa.Column('awaiting_review', sa.Boolean(), nullable=False),
    sa.Column('developer_signoffs', sa.Integer(), nullable=False),
    sa.Column('peer_signoffs', sa.Integer(), nullable=False),
    sa.Column('updated_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_competency_progress_candidate_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('candidate_id', 'competency_code', name=op.f('pk_competency_progress'))
    )
    op.execute(FILL)


def downgrade():
    op.drop_table('competency_progress')

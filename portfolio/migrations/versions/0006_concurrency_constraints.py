"""constraints that settle concurrent writes

One open review request per entry (a partial unique index), so a double click or a retried
"send for review" cannot open two requests for the same entry; a submission key on comments,
goals and goal notes, unique per author / goal, so the same form sent twice is stored once; and
a lock_version on goals, so an edit from a stale tab gets a conflict page.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 06:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ONE_OPEN = sa.text("status IN ('open', 'in_review')")

# Before the index can exist, duplicates the old race left behind are closed: per entry the
# request already in review (else the oldest) stays open, the others count as withdrawn.
CLOSE_DUPLICATE_OPEN_REQUESTS = """
UPDATE review_requests
SET status = 'withdrawn', closed_at = CURRENT_TIMESTAMP, lock_version = lock_version + 1
WHERE status IN ('open', 'in_review') AND EXISTS (
    SELECT 1 FROM review_requests AS keeper
    WHERE keeper.entry_id = review_requests.entry_id
      AND keeper.status IN ('open', 'in_review')
      AND ((keeper.status = 'in_review' AND review_requests.status = 'open')
           OR (keeper.status = review_requests.status AND keeper.id < review_requests.id)))
"""


def upgrade():
    op.execute(CLOSE_DUPLICATE_OPEN_REQUESTS)
    op.create_index('uq_review_requests_one_open_per_entry', 'review_requests', ['entry_id'],
                    unique=True, sqlite_where=ONE_OPEN, postgresql_where=ONE_OPEN)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_index('uq_comments_author_submission', ['author_id', 'submission_key'],
                              unique=True)
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('lock_version', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.create_index('uq_goals_owner_submission', ['owner_id', 'submission_key'],
                              unique=True)
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.alter_column('lock_version', server_default=None)  # the model sets it
    with op.batch_alter_table('goal_notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_index('uq_goal_notes_goal_submission', ['goal_id', 'submission_key'],
                              unique=True)


def downgrade():
    with op.batch_alter_table('goal_notes', schema=None) as batch_op:
        batch_op.drop_index('uq_goal_notes_goal_submission')
        batch_op.drop_column('submission_key')
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index('uq_goals_owner_submission')
        batch_op.drop_column('lock_version')
        batch_op.drop_column('submission_key')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('uq_comments_author_submission')
        batch_op.drop_column('submission_key')
    op.drop_index('uq_review_requests_one_open_per_entry', table_name='review_requests')

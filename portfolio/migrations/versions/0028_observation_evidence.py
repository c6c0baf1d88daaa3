"""observation evidence: a review request may carry one observation of the candidate

The candidate attaches an observation of their session when asking for sign-off; the reviewer
sees it beside the entry. Deleting the observation (its candidate's erasure) leaves the request.
Observations become a kind of search document: the rows of those already recorded are built
here (with the builders `flask search rebuild` uses, as 0014 did for the first kinds).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 01:00:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('observation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_review_requests_observation_id'),
                              ['observation_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_review_requests_observation_id_observations'), 'observations',
            ['observation_id'], ['id'], ondelete='SET NULL')
    from portfolio.search.indexing import reindex
    from portfolio.search.models import DocumentKind

    reindex(DocumentKind.OBSERVATION, None, Session(bind=op.get_bind()))


def downgrade():
    op.execute("DELETE FROM search_documents WHERE kind = 'observation'")
    with op.batch_alter_table('review_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_requests_observation_id_observations'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_review_requests_observation_id'))
        batch_op.drop_column('observation_id')

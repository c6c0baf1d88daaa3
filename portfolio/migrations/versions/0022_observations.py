"""observations: observation templates per framework version, observation records, the
competencies a record links and the reflective entries candidates start from them

A published template is immutable: triggers make the database refuse an UPDATE of its content
or a DELETE once its status is 'published' (drafts stay editable). The two default templates
are seeded by the reference seeder (observations.templates.ensure_default_templates) for each
published framework version, after migrations.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 21:10:00

"""
from alembic import op
import sqlalchemy as sa

import portfolio.database
from portfolio.observations.models import (
    drop_published_template_statements,
    published_template_statements,
)

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('observation_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('scale', sa.JSON(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('strengths_prompt', sa.Text(), nullable=False),
    sa.Column('next_steps_prompt', sa.Text(), nullable=False),
    sa.Column('peers_may_record', sa.Boolean(), nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', portfolio.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['based_on_id'], ['observation_templates.id'], name=op.f('fk_observation_templates_based_on_id_observation_templates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_observation_templates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['framework_id'], ['frameworks.id'], name=op.f('fk_observation_templates_framework_id_frameworks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_templates')),
    sa.UniqueConstraint('framework_id', 'name', 'version', name=op.f('uq_observation_templates_framework_id_name_version'))
    )
    with op.batch_alter_table('observation_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_templates_based_on_id'), ['based_on_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_templates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_templates_framework_id'), ['framework_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=160), nullable=False),
    sa.Column('session_kind', sa.Enum('training', 'competition', 'testing', 'other', name='session_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('age_band', sa.Enum('u13', 'u15', 'u17', 'u20', 'senior', 'masters', 'mixed', name='age_band', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('para_athletes', sa.Boolean(), nullable=False),
    sa.Column('athletes', sa.String(length=400), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('shared_with_peers', sa.Boolean(), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_observations_candidate_id_users')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_observations_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['observer_id'], ['users.id'], name=op.f('fk_observations_observer_id_users')),
    sa.ForeignKeyConstraint(['template_id'], ['observation_templates.id'], name=op.f('fk_observations_template_id_observation_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index('ix_observations_cohort_candidate', ['cohort_id', 'candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_observer_id'), ['observer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_template_id'), ['template_id'], unique=False)

    op.create_table('observation_competencies',
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competency_id'], ['competencies.id'], name=op.f('fk_observation_competencies_competency_id_competencies')),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_observation_competencies_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('observation_id', 'competency_id', name=op.f('pk_observation_competencies'))
    )
    with op.batch_alter_table('observation_competencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_competencies_competency_id'), ['competency_id'], unique=False)

    op.create_table('observation_reflections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portfolio.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_observation_reflections_entry_id_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_observation_reflections_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_reflections')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_observation_reflections_entry_id')),
    sa.UniqueConstraint('observation_id', name=op.f('uq_observation_reflections_observation_id'))
    )
    # ### end Alembic commands ###

    for statement in published_template_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_published_template_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('observation_reflections')
    with op.batch_alter_table('observation_competencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_competencies_competency_id'))

    op.drop_table('observation_competencies')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_template_id'))
        batch_op.drop_index(batch_op.f('ix_observations_observer_id'))
        batch_op.drop_index(batch_op.f('ix_observations_cohort_id'))
        batch_op.drop_index('ix_observations_cohort_candidate')
        batch_op.drop_index(batch_op.f('ix_observations_candidate_id'))

    op.drop_table('observations')
    with op.batch_alter_table('observation_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_templates_framework_id'))
        batch_op.drop_index(batch_op.f('ix_observation_templates_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_observation_templates_based_on_id'))

    op.drop_table('observation_templates')
    # ### end Alembic commands ###

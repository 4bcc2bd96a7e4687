"""cron runs once per tick

Revision ID: 7a1c5e0f3b92
Revises: 2cf7d9572604
Create Date: 2026-11-28 17:50:00.000000+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from advanced_alchemy.types import GUID, DateTimeUTC

sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = '7a1c5e0f3b92'
down_revision = '2cf7d9572604'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scheduled_job_runs',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('function', sa.String(length=100), nullable=False),
    sa.Column('scheduled_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTimeUTC(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_job_runs')),
    sa.UniqueConstraint('function', 'scheduled_at', name=op.f('uq_scheduled_job_runs_function'))
    )


def downgrade() -> None:
    op.drop_table('scheduled_job_runs')

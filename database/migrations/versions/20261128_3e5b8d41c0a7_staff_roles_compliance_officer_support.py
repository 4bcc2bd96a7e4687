"""staff roles: compliance officer and support

Revision ID: 3e5b8d41c0a7
Revises: 7a1c5e0f3b92
Create Date: 2026-11-28 22:00:00.000000+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '3e5b8d41c0a7'
down_revision = '7a1c5e0f3b92'
branch_labels = None
depends_on = None

NEW_ROLES = ('customer', 'merchant', 'agent', 'compliance_officer', 'support', 'admin')
OLD_ROLES = ('customer', 'merchant', 'agent', 'compliance', 'admin')


def _role_check(roles: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{role}'" for role in roles) + ")"


def upgrade() -> None:
    op.drop_constraint(op.f('ck_users_user_role'), 'users', type_='check')
    op.alter_column('users', 'role', type_=sa.String(length=18), existing_nullable=False)
    op.execute("UPDATE users SET role = 'compliance_officer' WHERE role = 'compliance'")
    op.create_check_constraint(op.f('ck_users_user_role'), 'users', _role_check(NEW_ROLES))


def downgrade() -> None:
    op.drop_constraint(op.f('ck_users_user_role'), 'users', type_='check')
    op.execute("UPDATE users SET role = 'compliance' WHERE role = 'compliance_officer'")
    op.execute("UPDATE users SET role = 'admin' WHERE role = 'support'")
    op.alter_column('users', 'role', type_=sa.String(length=10), existing_nullable=False)
    op.create_check_constraint(op.f('ck_users_user_role'), 'users', _role_check(OLD_ROLES))

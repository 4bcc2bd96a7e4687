"""persons, KYC tiers and versioned tier limits

Every user and every wallet gets a person (the holder whose limits apply): customers and
agents are their own person, each merchant wallet a business person. Limits are seeded
with COMPLIANCE.md's values and are append-only.

Revision ID: 5d2e8f1a9c40
Revises: 3e5b8d41c0a7
Create Date: 2026-11-29 01:00:00.000000+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from advanced_alchemy.types import GUID, DateTimeUTC

sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = '5d2e8f1a9c40'
down_revision = '3e5b8d41c0a7'
branch_labels = None
depends_on = None

TIERS = ('tier0', 'tier1', 'merchant', 'agent')

# (tier, max balance, max monthly credits, max per transaction); None is no limit.
SEEDED_LIMITS = (
    ('tier0', 200_000, 200_000, 100_000),
    ('tier1', 2_000_000, 10_000_000, 1_000_000),
    ('merchant', None, None, None),
    ('agent', None, None, None),
)


def _tier(name: str) -> sa.Enum:
    return sa.Enum(*TIERS, name=name, native_enum=False, create_constraint=True)


def upgrade() -> None:
    op.create_table('persons',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('national_id', sa.String(length=20), nullable=True),
    sa.Column('tier', _tier('kyc_tier'), nullable=False),
    sa.Column('credits_month', sa.Date(), nullable=True),
    sa.Column('credits_total', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('national_id', name=op.f('uq_persons_national_id'))
    )
    op.create_table('kyc_limits',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('tier', _tier('kyc_limit_tier'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('max_balance', sa.BigInteger(), nullable=True),
    sa.Column('max_monthly_credits', sa.BigInteger(), nullable=True),
    sa.Column('max_per_transaction', sa.BigInteger(), nullable=True),
    sa.Column('effective_from', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kyc_limits')),
    sa.UniqueConstraint('tier', 'version', name=op.f('uq_kyc_limits_tier'))
    )
    op.create_index('ix_kyc_limits_in_force', 'kyc_limits', ['tier', 'effective_from'], unique=False)
    op.execute(
        "CREATE TRIGGER kyc_limits_append_only BEFORE UPDATE OR DELETE ON kyc_limits "
        "FOR EACH ROW EXECUTE FUNCTION ledger_rows_are_immutable()"
    )
    for tier, balance, monthly, per_transaction in SEEDED_LIMITS:
        op.execute(
            sa.text(
                "INSERT INTO kyc_limits (id, tier, version, max_balance, max_monthly_credits, "
                "max_per_transaction, effective_from, created_by) VALUES (gen_random_uuid(), :tier, 1, "
                ":balance, :monthly, :per_transaction, '2020-01-01T00:00:00Z', 'migration')"
            ).bindparams(tier=tier, balance=balance, monthly=monthly, per_transaction=per_transaction)
        )
    _link_users_and_accounts_to_persons()


def _link_users_and_accounts_to_persons() -> None:
    """Each existing user becomes a person; each merchant wallet a business person of its own."""
    op.add_column('users', sa.Column('person_id', sa.GUID(length=16), nullable=True))
    op.add_column('ledger_accounts', sa.Column('person_id', sa.GUID(length=16), nullable=True))
    op.execute("UPDATE users SET person_id = gen_random_uuid()")
    op.execute(
        "INSERT INTO persons (id, national_id, tier, created_at, updated_at) "
        "SELECT person_id, national_id, CASE WHEN role = 'agent' THEN 'agent' ELSE 'tier0' END, now(), now() "
        "FROM users"
    )
    op.execute(
        "UPDATE ledger_accounts a SET person_id = u.person_id FROM users u "
        "WHERE u.id = a.owner_id AND a.kind IN ('customer_wallet', 'agent_float')"
    )
    op.execute("UPDATE ledger_accounts SET person_id = gen_random_uuid() WHERE kind = 'merchant_wallet'")
    op.execute(
        "INSERT INTO persons (id, tier, created_at, updated_at) "
        "SELECT person_id, 'merchant', now(), now() FROM ledger_accounts WHERE kind = 'merchant_wallet'"
    )
    op.alter_column('users', 'person_id', nullable=False)
    op.create_index(op.f('ix_users_person_id'), 'users', ['person_id'], unique=False)
    op.create_foreign_key(op.f('fk_users_person_id_persons'), 'users', 'persons', ['person_id'], ['id'])
    op.create_index(op.f('ix_ledger_accounts_person_id'), 'ledger_accounts', ['person_id'], unique=False)
    op.create_foreign_key(
        op.f('fk_ledger_accounts_person_id_persons'), 'ledger_accounts', 'persons', ['person_id'], ['id']
    )


def downgrade() -> None:
    op.drop_constraint(op.f('fk_ledger_accounts_person_id_persons'), 'ledger_accounts', type_='foreignkey')
    op.drop_index(op.f('ix_ledger_accounts_person_id'), table_name='ledger_accounts')
    op.drop_column('ledger_accounts', 'person_id')
    op.drop_constraint(op.f('fk_users_person_id_persons'), 'users', type_='foreignkey')
    op.drop_index(op.f('ix_users_person_id'), table_name='users')
    op.drop_column('users', 'person_id')
    op.execute("DROP TRIGGER kyc_limits_append_only ON kyc_limits")
    op.drop_index('ix_kyc_limits_in_force', table_name='kyc_limits')
    op.drop_table('kyc_limits')
    op.drop_table('persons')

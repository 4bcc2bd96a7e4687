"""posting in one round trip: ledger_post_entry()

The posting engine's protocol (docs/ARCHITECTURE.md "Posting protocol") as one server-side
function, so a money movement costs the API one database round trip instead of ten. The
function claims the idempotency key, locks the accounts (and the other accounts of the same
persons) in id order, refuses inactive accounts, overdrafts and KYC tier limits on the locked
rows, then writes the balances, the postings, the audit event and the outbox message.

A refusal, a reference collision or a deadlock or serialization victim rolls back everything
the call wrote (its own subtransaction) and is returned, never raised, so the caller's
transaction stays usable and the engine decides whether to try again. The guards of the ledger migration (balanced
entries, immutable postings, no negative wallet) still hold underneath.

Revision ID: 5f0c2a7d8e11
Revises: e6480dd98952
Create Date: 2026-11-29 08:40:00.000000+00:00
"""

from __future__ import annotations

from alembic import op

revision = '5f0c2a7d8e11'
down_revision = 'e6480dd98952'
branch_labels = None
depends_on = None

# Each leg in order with the balance and version it leaves its account at; legs may repeat an
# account. Read after the lock, so the balances are current.
PLANNED_POSTINGS = """
CREATE FUNCTION ledger_planned_postings(p_accounts uuid[], p_amounts bigint[])
RETURNS TABLE (ord bigint, account_id uuid, amount bigint, kind text, status text,
               balance_after bigint, version bigint)
LANGUAGE sql AS $$
    SELECT l.ord, l.account_id, l.amount, a.kind, a.status,
           a.balance + sum(l.amount) OVER w,
           a.version + row_number() OVER w
    FROM unnest(p_accounts, p_amounts) WITH ORDINALITY AS l(account_id, amount, ord)
    JOIN ledger_accounts a ON a.id = l.account_id
    WINDOW w AS (PARTITION BY l.account_id ORDER BY l.ord)
$$
"""

# The first leg, in order, on an account that is not active or that it would overdraw (only
# e-money issuance and suspense may go negative). Inactivity is the caller's own problem on
# the debtor account, the recipient's anywhere else.
POSTING_REFUSAL = """
CREATE FUNCTION ledger_posting_refusal(p_accounts uuid[], p_amounts bigint[], p_debtor uuid)
RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object('code', CASE
        WHEN p.status <> 'active' AND p.account_id = p_debtor THEN 'account_inactive'
        WHEN p.status <> 'active' THEN 'recipient_inactive'
        ELSE 'insufficient_funds' END)
    FROM ledger_planned_postings(p_accounts, p_amounts) p
    WHERE p.status <> 'active'
       OR (p.balance_after < 0 AND p.kind NOT IN ('emoney_issuance', 'suspense'))
    ORDER BY p.ord
    LIMIT 1
$$
"""

# KYC tier limits per person (COMPLIANCE.md "Tiers and limits"). Each person's credits of the
# month are bumped (and so locked) first; what they held and had received before is checked
# against their tier's limits in force: per-transaction maximum, then for a net credit the
# balance cap and the monthly credits. The debtor's own person is checked first and told which
# limit and how much room is left; a counterparty's refusal says nothing more.
LIMIT_REFUSAL = """
CREATE FUNCTION ledger_limit_refusal(
    p_accounts uuid[], p_amounts bigint[], p_debtor uuid, p_amount bigint, p_month date, p_now timestamptz
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    v_own uuid;
    v_persons jsonb;
    r record;
    v_limit text;
    v_bound bigint;
    v_headroom bigint;
BEGIN
    SELECT person_id INTO v_own FROM ledger_accounts WHERE id = p_debtor;
    WITH net AS (
        SELECT a.person_id, sum(l.amount) AS net, min(l.ord) AS first_ord
        FROM unnest(p_accounts, p_amounts) WITH ORDINALITY AS l(account_id, amount, ord)
        JOIN ledger_accounts a ON a.id = l.account_id
        WHERE a.person_id IS NOT NULL
        GROUP BY a.person_id
    ), counted AS (
        UPDATE persons p
        SET credits_total = CASE WHEN p.credits_month = p_month THEN p.credits_total ELSE 0 END
                            + greatest(n.net, 0),
            credits_month = p_month
        FROM net n
        WHERE p.id = n.person_id
        RETURNING p.id, p.tier, p.credits_total - greatest(n.net, 0) AS credited_before, n.net, n.first_ord
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', c.id, 'own', c.id = v_own, 'in_force', l.tier IS NOT NULL, 'net', c.net,
               'credited_before', c.credited_before,
               'held', (SELECT sum(balance) FROM ledger_accounts WHERE person_id = c.id),
               'max_balance', l.max_balance, 'max_monthly_credits', l.max_monthly_credits,
               'max_per_transaction', l.max_per_transaction)
           ORDER BY c.id IS DISTINCT FROM v_own, c.first_ord), '[]')
    INTO v_persons
    FROM counted c
    LEFT JOIN LATERAL (
        SELECT k.tier, k.max_balance, k.max_monthly_credits, k.max_per_transaction FROM kyc_limits k
        WHERE k.tier = c.tier AND k.effective_from <= p_now ORDER BY k.effective_from DESC LIMIT 1
    ) l ON true;

    IF jsonb_path_exists(v_persons, '$[*] ? (@.in_force == false)') THEN
        RETURN jsonb_build_object('code', 'no_limits_in_force',
                                  'persons', jsonb_path_query_array(v_persons, '$[*] ? (@.in_force == false).id'));
    END IF;

    FOR r IN SELECT * FROM jsonb_to_recordset(v_persons) AS x(
        own boolean, net bigint, credited_before bigint, held bigint,
        max_balance bigint, max_monthly_credits bigint, max_per_transaction bigint)
    LOOP
        v_limit := NULL;
        IF r.max_per_transaction IS NOT NULL AND p_amount > r.max_per_transaction THEN
            v_limit := 'max_per_transaction';
            v_bound := r.max_per_transaction;
            v_headroom := r.max_per_transaction;
        ELSIF r.net > 0 AND r.max_balance IS NOT NULL AND r.net > greatest(0, r.max_balance - r.held) THEN
            v_limit := 'max_balance';
            v_bound := r.max_balance;
            v_headroom := greatest(0, r.max_balance - r.held);
        ELSIF r.net > 0 AND r.max_monthly_credits IS NOT NULL
              AND r.net > greatest(0, r.max_monthly_credits - r.credited_before) THEN
            v_limit := 'max_monthly_credits';
            v_bound := r.max_monthly_credits;
            v_headroom := greatest(0, r.max_monthly_credits - r.credited_before);
        END IF;
        IF v_limit IS NOT NULL AND r.own THEN
            RETURN jsonb_build_object('code', 'limit_exceeded', 'limit', v_limit,
                                      'bound', v_bound, 'headroom', v_headroom);
        ELSIF v_limit IS NOT NULL THEN
            RETURN jsonb_build_object('code', 'counterparty_limit_exceeded');
        END IF;
    END LOOP;
    RETURN NULL;
END
$$
"""

POST_ENTRY = """
CREATE FUNCTION ledger_post_entry(
    p_entry jsonb, p_accounts uuid[], p_amounts bigint[], p_posting_ids uuid[], p_debtor uuid,
    p_capped boolean, p_month date, p_now timestamptz, p_audit jsonb, p_outbox jsonb,
    OUT outcome text, OUT detail jsonb, OUT created_at timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
    v_refusal jsonb;
    v_entry_id uuid := (p_entry ->> 'id')::uuid;
    v_reason text;
BEGIN
    BEGIN
        -- 1. claim: the first of two twins owns the key; the other replays its entry
        INSERT INTO journal_entries AS e (id, reference, kind, status, amount, fee, initiator_type,
            initiator_id, idempotency_key, request_hash, description, details, reversal_of_id)
        SELECT r.id, r.reference, r.kind, 'posted', r.amount, r.fee, r.initiator_type, r.initiator_id,
               r.idempotency_key, r.request_hash, r.description, coalesce(r.details, '{}'), r.reversal_of_id
        FROM jsonb_populate_record(NULL::journal_entries, p_entry) r
        ON CONFLICT (initiator_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING e.created_at INTO created_at;
        IF NOT FOUND THEN
            outcome := 'replay';
            RETURN;
        END IF;

        -- 2. lock, in id order, the accounts and every other account of the same persons
        PERFORM 1 FROM ledger_accounts
        WHERE id = ANY (p_accounts)
           OR person_id IN (SELECT a.person_id FROM ledger_accounts a
                            WHERE a.id = ANY (p_accounts) AND a.person_id IS NOT NULL)
        ORDER BY id
        FOR UPDATE;

        -- every leg names an account: a stale id is a programming error, never a missing posting
        IF (SELECT count(*) FROM ledger_accounts WHERE id = ANY (p_accounts))
           <> (SELECT count(DISTINCT a) FROM unnest(p_accounts) AS a) THEN
            RAISE EXCEPTION 'ledger_post_entry: a leg names an account that does not exist';
        END IF;

        -- 3 and 4. statuses and funds, then the KYC tier limits, on the locked rows
        v_refusal := ledger_posting_refusal(p_accounts, p_amounts, p_debtor);
        IF v_refusal IS NULL AND p_capped THEN
            v_refusal := ledger_limit_refusal(p_accounts, p_amounts, p_debtor,
                                              (p_entry ->> 'amount')::bigint, p_month, p_now);
        END IF;
        IF v_refusal IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'OP001', MESSAGE = 'posting refused', DETAIL = v_refusal::text;
        END IF;

        -- 5. apply: each account moves to its last planned balance; one posting per leg
        WITH planned AS (
            SELECT * FROM ledger_planned_postings(p_accounts, p_amounts)
        ), moved AS (
            UPDATE ledger_accounts a
            SET balance = f.balance_after, version = f.version, updated_at = now()
            FROM (SELECT DISTINCT ON (account_id) account_id, balance_after, version
                  FROM planned ORDER BY account_id, ord DESC) f
            WHERE a.id = f.account_id
        )
        INSERT INTO postings (id, entry_id, account_id, amount, balance_after, account_version, created_at)
        SELECT p_posting_ids[p.ord], v_entry_id, p.account_id, p.amount, p.balance_after, p.version,
               created_at
        FROM planned p;

        -- 6. the audit record and the outbox message commit with the money or not at all
        INSERT INTO audit_events (id, actor_type, actor_id, action, target_type, target_id, changes,
                                  request_id, ip_address)
        SELECT r.id, r.actor_type, r.actor_id, r.action, r.target_type, r.target_id,
               coalesce(r.changes, '{}'), r.request_id, r.ip_address
        FROM jsonb_populate_record(NULL::audit_events, p_audit) r;
        INSERT INTO outbox (id, topic, queue, payload)
        SELECT r.id, r.topic, r.queue, coalesce(r.payload, '{}')
        FROM jsonb_populate_record(NULL::outbox, p_outbox) r;

        outcome := 'posted';
        RETURN;
    EXCEPTION
        WHEN SQLSTATE 'OP001' THEN
            GET STACKED DIAGNOSTICS v_reason = PG_EXCEPTION_DETAIL;
            outcome := 'refused';
            detail := v_reason::jsonb;
            created_at := NULL;
            RETURN;
        WHEN unique_violation THEN
            GET STACKED DIAGNOSTICS v_reason = CONSTRAINT_NAME;
            IF v_reason IS DISTINCT FROM 'uq_journal_entries_reference' THEN
                RAISE;
            END IF;
            outcome := 'reference_collision';
            created_at := NULL;
            RETURN;
        WHEN deadlock_detected OR serialization_failure THEN
            outcome := 'conflict';
            detail := jsonb_build_object('sqlstate', SQLSTATE);
            created_at := NULL;
            RETURN;
    END;
END
$$
"""


def upgrade() -> None:
    for function in (PLANNED_POSTINGS, POSTING_REFUSAL, LIMIT_REFUSAL, POST_ENTRY):
        op.execute(function)


def downgrade() -> None:
    op.execute("DROP FUNCTION ledger_post_entry(jsonb, uuid[], bigint[], uuid[], uuid, boolean, date, timestamptz, jsonb, jsonb)")
    op.execute("DROP FUNCTION ledger_limit_refusal(uuid[], bigint[], uuid, bigint, date, timestamptz)")
    op.execute("DROP FUNCTION ledger_posting_refusal(uuid[], bigint[], uuid)")
    op.execute("DROP FUNCTION ledger_planned_postings(uuid[], bigint[])")

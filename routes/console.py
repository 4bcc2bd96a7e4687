"""`ompay` console commands beyond Litestar's own (Laravel's routes/console.php)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

import click

from config.database import get_alchemy_config
from config.queue import get_saq_config
from config.settings import get_settings
from ompay.domain.actors import Actor
from ompay.domain.errors import ValidationFailed
from ompay.domain.merchants import Scope
from ompay.domain.phone import InvalidPhone, normalise_phone
from ompay.domain.tier_limits import DAKAR
from ompay.lib.console import api_key_box
from ompay.lib.queue import JobDispatcher
from ompay.models import KycTier, UserRole
from ompay.services.compliance.tiers import LimitVersion
from ompay.services.container import Services, short_lived_services
from ompay.services.identity.users import STAFF_ROLES
from ompay.services.merchants.onboarding import MerchantProfile

T = TypeVar("T")


def run_with_services(work: Callable[[Services], Awaitable[T]]) -> T:
    """Run `work` with the services of a fresh unit of work, then release pool and queue connections."""

    async def main() -> T:
        settings = get_settings()
        alchemy = get_alchemy_config()
        queues = get_saq_config().get_queues().queues
        engine = alchemy.get_engine()
        try:
            async with (
                alchemy.get_session() as session,
                short_lived_services(session, settings, JobDispatcher(queues), engine) as services,
            ):
                return await work(services)
        finally:
            await engine.dispose()
            for queue in queues.values():
                await queue.disconnect()

    return asyncio.run(main())


def echo_result(work: Callable[[Services], Awaitable[str]]) -> None:
    """Run `work` and print its result; a refusal becomes a clean CLI error naming the fields."""
    try:
        click.echo(run_with_services(work))
    except ValidationFailed as exc:
        raise click.ClickException("; ".join(f"{e.field}: {e.message}" for e in exc.errors)) from exc


@click.command(name="db-seed", help="Seed demo data into an empty database (never in production).")
def db_seed() -> None:
    from database.seeders import seed_demo_data

    if get_settings().app.is_production:
        raise click.ClickException("refusing to seed demo data in production")
    click.echo(run_with_services(seed_demo_data))


@click.command(
    name="create-user", help="Create a staff user (admin, compliance_officer, support, agent, merchant)."
)
@click.option("--role", type=click.Choice(sorted(r.value for r in STAFF_ROLES)), required=True)
@click.option("--phone", required=True, help="Mobile number, any accepted spelling.")
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@click.password_option(help="At least 8 characters (prompted when omitted).")
def create_user(role: str, phone: str, first_name: str, last_name: str, password: str) -> None:
    settings = get_settings()
    try:
        e164 = normalise_phone(phone, settings.auth.prefixes)
    except InvalidPhone as exc:
        raise click.BadParameter("not a valid mobile number", param_hint="--phone") from exc

    async def create(services: Services) -> str:
        user = await services.user_service.create_staff(
            UserRole(role), e164, first_name, last_name, password, Actor.system("console")
        )
        return f"created {role} {user.id} ({e164})"

    echo_result(create)


@click.command(name="create-merchant", help="Onboard a merchant owned by an existing user.")
@click.option("--owner-phone", required=True, help="The owner's mobile number (an OMPAY account).")
@click.option("--business-name", required=True)
@click.option("--trade-name", required=True, help="The name customers see.")
@click.option("--category", required=True)
@click.option("--ninea", default=None)
@click.option("--rccm", default=None)
@click.option("--approve", is_flag=True, help="Approve at once (the merchant may take payments).")
def create_merchant(
    owner_phone: str,
    business_name: str,
    trade_name: str,
    category: str,
    ninea: str | None,
    rccm: str | None,
    approve: bool,
) -> None:
    try:
        owner = normalise_phone(owner_phone, get_settings().auth.prefixes)
    except InvalidPhone as exc:
        raise click.BadParameter("not a valid mobile number", param_hint="--owner-phone") from exc
    profile = MerchantProfile(business_name, trade_name, category, ninea=ninea, rccm=rccm)
    console = Actor.system("console")

    async def create(services: Services) -> str:
        service = services.merchant_service
        merchant = await service.onboard(profile, owner, console)
        if approve:
            merchant = await service.approve(merchant.id, console)
        return f"created merchant {merchant.code} ({merchant.id}), {merchant.status.value}"

    echo_result(create)


@click.command(name="create-api-key", help="Issue a new API key for a merchant; it is shown once.")
@click.option("--merchant", "merchant_code", required=True, help="The merchant code (MCH…).")
@click.option("--name", default="console", show_default=True, help="How the key appears in the key list.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice([scope.value for scope in Scope]),
    help="Repeat for several; every scope when omitted.",
)
def create_api_key(merchant_code: str, name: str, scopes: tuple[str, ...]) -> None:
    async def create(services: Services) -> str:
        merchants = services.merchant_service
        merchant = await merchants.by_code(merchant_code)
        owner_id = await merchants.owner_id(merchant)
        granted = [Scope(scope) for scope in scopes] or list(Scope)
        issued = await services.api_key_service.issue(
            merchant, name, granted, None, owner_id, Actor.system("console")
        )
        return api_key_box(merchant.trade_name, merchant.code, issued.secret)

    echo_result(create)


@click.group(name="audit", help="The tamper-evident audit trail.")
def audit_group() -> None:
    """Audit trail commands."""


@audit_group.command(name="verify", help="Seal pending events and verify the whole hash chain.")
def audit_verify() -> None:
    verification = run_with_services(lambda services: services.uow.audit.seal_and_verify())
    if not verification.intact:
        raise click.ClickException(
            f"audit chain broken at seq {verification.broken_at} ({verification.checked} links checked)"
        )
    click.echo(f"audit chain intact: {verification.checked} links, {verification.unsealed} unsealed")


@click.group(name="ledger", help="The double-entry ledger.")
def ledger_group() -> None:
    """Ledger commands."""


@ledger_group.command(
    name="verify", help="Prove every balance equals the sum of its postings and the total is zero."
)
def ledger_verify() -> None:
    result = run_with_services(lambda services: services.ledger_admin_service.reconcile())
    if not result.balanced:
        off = len(result.mismatches)
        raise click.ClickException(f"ledger out of balance: total {result.grand_total}, {off} accounts off")
    click.echo(f"ledger balanced: {result.accounts} accounts, grand total 0")


@click.group(name="outbox", help="The transactional outbox.")
def outbox_group() -> None:
    """Outbox commands."""


@outbox_group.command(name="sweep", help="Enqueue outbox messages the after-commit relay missed.")
def outbox_sweep() -> None:
    click.echo(f"dispatched {run_with_services(lambda services: services.uow.outbox.sweep())} messages")


class LimitAmount(click.ParamType[int | None, str]):
    """Whole francs, or `none` for no limit."""

    name = "francs|none"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int | None:
        text = str(value).strip().lower()
        if text == "none":
            return None
        if not text.isdigit():
            self.fail("expected whole francs or 'none'", param, ctx)
        return int(text)


@click.group(name="kyc", help="KYC tiers and their limits.")
def kyc_group() -> None:
    """KYC commands."""


@kyc_group.command(name="limits", help="Show each tier's limits in force now.")
def kyc_limits() -> None:
    rows = run_with_services(lambda services: services.tier_service.limits_in_force())
    for row in rows:
        click.echo(
            f"{row.tier.value:9} v{row.version}  balance {row.max_balance}  "
            f"monthly credits {row.max_monthly_credits}  per transaction {row.max_per_transaction}  "
            f"since {row.effective_from.isoformat()}"
        )


@kyc_group.command(name="add-limits", help="Add a version of a tier's limits (never edits one).")
@click.option("--tier", type=click.Choice([tier.value for tier in KycTier]), required=True)
@click.option("--max-balance", type=LimitAmount(), required=True)
@click.option("--max-monthly-credits", type=LimitAmount(), required=True)
@click.option("--max-per-transaction", type=LimitAmount(), required=True)
@click.option(
    "--effective-from",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]),
    default=None,
    help="ISO date or instant (a date is midnight in Africa/Dakar); now when omitted.",
)
def kyc_add_limits(
    tier: str,
    max_balance: int | None,
    max_monthly_credits: int | None,
    max_per_transaction: int | None,
    effective_from: datetime | None,
) -> None:
    if effective_from is not None and effective_from.tzinfo is None:
        effective_from = effective_from.replace(tzinfo=DAKAR)
    version = LimitVersion(
        KycTier(tier), max_balance, max_monthly_credits, max_per_transaction, effective_from
    )

    async def add(services: Services) -> str:
        row = await services.tier_service.add_limit_version(version, Actor.system("console"))
        return f"{row.tier.value} limits v{row.version} effective {row.effective_from.isoformat()}"

    echo_result(add)


COMMANDS: list[click.Command] = [
    db_seed,
    create_user,
    create_merchant,
    create_api_key,
    audit_group,
    ledger_group,
    outbox_group,
    kyc_group,
]

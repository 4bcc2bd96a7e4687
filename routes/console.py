"""`ompay` console commands beyond Litestar's own (Laravel's routes/console.php)."""

from __future__ import annotations

from typing import TypeVar

import click

from config.settings import get_settings
from ompay.domain.actors import Actor
from ompay.domain.merchants import Scope
from ompay.domain.phone import InvalidPhone, normalise_phone
from ompay.lib.console import api_key_box
from ompay.models import UserRole
from ompay.services.container import Services
from ompay.services.identity.users import STAFF_ROLES
from ompay.services.merchants.onboarding import MerchantProfile
from routes.console_compliance import kyc_group, screening_group
from routes.console_exports import export_group
from routes.console_monitoring import monitoring_group
from routes.console_support import echo_result, run_with_services

T = TypeVar("T")


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


@audit_group.command(
    name="verify",
    help="Seal pending events, verify the whole hash chain against the last checkpoint, record a new one.",
)
def audit_verify() -> None:
    verification = run_with_services(lambda services: services.uow.audit.seal_and_verify())
    if not verification.intact:
        raise click.ClickException(
            f"audit chain broken at seq {verification.broken_at} ({verification.checked} links checked)"
        )
    click.echo(
        f"audit chain intact at seq {verification.head_seq}: "
        f"{verification.checked} links, {verification.unsealed} unsealed"
    )


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


COMMANDS: list[click.Command] = [
    db_seed,
    create_user,
    create_merchant,
    create_api_key,
    audit_group,
    ledger_group,
    outbox_group,
    kyc_group,
    screening_group,
    monitoring_group,
    export_group,
]

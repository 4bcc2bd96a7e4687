"""`ompay kyc …` and `ompay screening …`: the compliance officers' console commands."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from uuid import UUID

import click

from ompay.domain.actors import Actor
from ompay.domain.screening_lists import ListFormat
from ompay.models import KycTier
from ompay.services.compliance.tiers import LimitVersion
from ompay.services.container import Services
from routes.console_support import echo_result, effective_from_option, run_with_services


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
@effective_from_option
def kyc_add_limits(
    tier: str,
    max_balance: int | None,
    max_monthly_credits: int | None,
    max_per_transaction: int | None,
    effective_from: datetime | None,
) -> None:
    version = LimitVersion(
        KycTier(tier), max_balance, max_monthly_credits, max_per_transaction, effective_from
    )

    async def add(services: Services) -> str:
        row = await services.tier_service.add_limit_version(version, Actor.system("console"))
        return f"{row.tier.value} limits v{row.version} effective {row.effective_from.isoformat()}"

    echo_result(add)


@click.group(name="screening", help="Sanctions, PEP and watch lists.")
def screening_group() -> None:
    """Screening commands."""


@screening_group.command(name="import", help="Import a list file as a new version of the named list.")
@click.option("--format", "list_format", type=click.Choice([f.value for f in ListFormat]), required=True)
@click.option("--list", "list_name", required=True, help="un, opensanctions, a national list, internal, …")
@click.option(
    "--topic",
    type=click.Choice(["sanction", "role.pep", "poi"]),
    help="For entries the file gives no topic: sanction (UN list default), role.pep, poi (watch list).",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def screening_import(list_format: str, list_name: str, topic: str | None, file: Path) -> None:
    content = file.read_bytes()

    async def load(services: Services) -> str:
        version, added = await services.screening_list_service.import_list(
            list_name, ListFormat(list_format), content, Actor.system("console"), topic
        )
        if not added:
            return f"{list_name} v{version.version} is this file already: nothing imported"
        return f"{list_name} v{version.version}: {version.entry_count} entries"

    echo_result(load)


@screening_group.command(name="replay", help="Replay a logged screening query against its own list versions.")
@click.argument("query_id", type=click.UUID)
def screening_replay(query_id: UUID) -> None:
    async def replay(services: Services) -> str:
        replayed = await services.screening_service.replay(query_id)
        verdict = "reproduced" if replayed.reproduced else "DIFFERS"
        return f"{query_id}: {replayed.query.outcome.value} -> {replayed.verdict.outcome.value} ({verdict})"

    echo_result(replay)

"""`ompay export run`: generate an export by hand, in this process, and print its manifest summary."""

from __future__ import annotations

from uuid import UUID

import click

from ompay.domain.actors import Actor
from ompay.domain.exports import ExportType
from ompay.services.container import Services
from ompay.services.exports.access import ExportAsk
from routes.console_support import echo_result


@click.group(name="export", help="Regulatory and settlement exports.")
def export_group() -> None:
    """Export commands."""


@export_group.command(name="run", help="Generate (or generate again: the same bytes) one export now.")
@click.argument("export_type", metavar="TYPE", type=click.Choice([kind.value for kind in ExportType]))
@click.option("--period", help="2026-11-28 (daily), 2026-11 (monthly) or 2026-Q4 (quarterly).")
@click.option("--merchant", help="Merchant code, for merchant_settlement.")
@click.option("--subject", type=click.UUID, help="Case id (STR) or freeze id (freeze report).")
def export_run(export_type: str, period: str | None, merchant: str | None, subject: UUID | None) -> None:
    ask = ExportAsk(ExportType(export_type), period, merchant, subject)

    async def run(services: Services) -> str:
        export = await services.export_service.run_here(ask, Actor.system("console"))
        lines = [f"export {export.id}  {export.type.value} {export.period}  generation {export.generations}"]
        lines += [f"  {f['name']:32} {f['rows']:>9} rows  sha256 {f['sha256']}" for f in export.files]
        return "\n".join(lines)

    echo_result(run)

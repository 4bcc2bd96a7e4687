"""`ompay monitoring …`: the transaction-monitoring rules in force, and adding a version."""

from __future__ import annotations

import json
from datetime import datetime

import click

from ompay.domain.actors import Actor
from ompay.models import MonitoringOutcome
from ompay.services.compliance.monitoring_rules import RuleChange
from ompay.services.container import Services
from routes.console_support import echo_result, effective_from_option, run_with_services


@click.group(name="monitoring", help="Transaction-monitoring rules (TM-01 ... TM-16).")
def monitoring_group() -> None:
    """Monitoring commands."""


@monitoring_group.command(name="rules", help="Show each rule's version in force now.")
def monitoring_rules() -> None:
    rows = run_with_services(lambda services: services.monitoring_rule_service.in_force())
    for row in rows:
        click.echo(
            f"{row.rule_id} v{row.version}  {row.outcome.value:16} score {row.score:3}  "
            f"{json.dumps(row.params, sort_keys=True)}  since {row.effective_from.isoformat()}"
        )


@monitoring_group.command(name="add-rule", help="Add a version of a rule (never edits one), audited.")
@click.option("--rule", "rule_id", required=True, help="TM-01 ... TM-16")
@click.option(
    "--params", required=True, help="JSON, every parameter of the version in force: '{\"per_hour\": 8, ...}'"
)
@click.option("--score", type=click.IntRange(0, 1000), required=True)
@click.option("--outcome", type=click.Choice([outcome.value for outcome in MonitoringOutcome]), required=True)
@effective_from_option
def monitoring_add_rule(
    rule_id: str, params: str, score: int, outcome: str, effective_from: datetime | None
) -> None:
    try:
        parsed = json.loads(params)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--params") from exc
    if not isinstance(parsed, dict):
        raise click.BadParameter("a JSON object of parameters", param_hint="--params")
    change = RuleChange(rule_id, parsed, score, MonitoringOutcome(outcome), effective_from)

    async def add(services: Services) -> str:
        row = await services.monitoring_rule_service.add_version(change, Actor.system("console"))
        return f"{row.rule_id} v{row.version} effective {row.effective_from.isoformat()}"

    echo_result(add)

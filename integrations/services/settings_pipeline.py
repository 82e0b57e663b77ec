"""The pipeline settings checked against the org: the one check the console's save and
`crm_settings import` both use.

`pipeline_stage` must be "not_sure" or one of the org's open Opportunity stages (closed ones
hold no pipeline); `won_value_field` "not_sure" or a currency field of Opportunity. A problem
names the setting and lists what the org offers.
"""

from __future__ import annotations

from integrations.exceptions import SalesforceError
from integrations.models.sync_settings import NOT_SURE
from integrations.salesforce.client import SalesforceClient
from integrations.services.connection import salesforce_client
from integrations.services.settings_task_fields import TYPE_NAMES
from integrations.sync.pipeline_org import org_currency_fields, org_stages
from integrations.sync.rules.pipeline import open_stage_names

PIPELINE_KEYS = ("pipeline_stage", "won_value_field")

# (setting, what is wrong)
Problem = tuple[str, str]


def pipeline_settings_check(
    *, values: dict[str, str], client: SalesforceClient | None = None
) -> list[Problem]:
    """Every problem of the given pipeline settings (strings) against the org; without a
    client, the connected org's (ConfigurationError when none is). "not_sure" needs no org."""
    wanted = {key: values[key] for key in PIPELINE_KEYS if values.get(key, NOT_SURE) != NOT_SURE}
    if not wanted:
        return []
    client = client or salesforce_client()
    problems = []
    if "pipeline_stage" in wanted:
        problem = _stage_problem(client, wanted["pipeline_stage"])
        if problem:
            problems.append(("pipeline_stage", problem))
    if "won_value_field" in wanted:
        problem = _field_problem(client, wanted["won_value_field"])
        if problem:
            problems.append(("won_value_field", problem))
    return problems


def _stage_problem(client: SalesforceClient, value: str) -> str | None:
    try:
        stages = org_stages(client)
    except SalesforceError as error:
        return _unreadable("Opportunity stages", error)
    names = open_stage_names(stages)
    offered = _offer(names)
    if value in names:
        return None
    if any(stage.name == value for stage in stages):
        return f"“{value}” is a closed stage, and the pipeline holds open opportunities: {offered}."
    return f"“{value}” is not an active Opportunity stage of your org: {offered}."


def _field_problem(client: SalesforceClient, value: str) -> str | None:
    try:
        fields = client.fields("Opportunity")
        currency = list(org_currency_fields(client))
    except SalesforceError as error:
        return _unreadable("Opportunity fields", error)
    offered = _offer(currency)
    described = fields.get(value)
    if described is None:
        return f"Opportunity has no field “{value}”: {offered}."
    if value not in currency:
        kind = TYPE_NAMES.get(described.get("type", ""), described.get("type", ""))
        return f"Opportunity.{value} is not a currency field (it is {kind}): {offered}."
    return None


def _offer(names: list[str]) -> str:
    listed = ", ".join(names) if names else "none"
    return f"use {NOT_SURE} or one of your org's: {listed}"


def _unreadable(what: str, error: SalesforceError) -> str:
    reason = f"Could not read the {what} from Salesforce: {error}."
    return " ".join(filter(None, [reason, error.hint]))

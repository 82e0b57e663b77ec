"""What the org says about its pipeline: its active Opportunity stages in their order, and
Opportunity's currency fields.

The stages come from OpportunityStage (one small query: SortOrder is the order Setup shows,
IsClosed says which stages end a deal); the fields from Opportunity's cached describe().
The settings' checks, the console's choices and the pipeline import all read them here.
"""

from __future__ import annotations

from integrations.salesforce import soql
from integrations.salesforce.client import SalesforceClient
from integrations.sync.rules.pipeline import Stage, currency_field_names

STAGE_FIELDS = ["ApiName", "IsClosed", "SortOrder"]


def org_stages(client: SalesforceClient) -> list[Stage]:
    """The org's active Opportunity stages, in its order."""
    statement = soql.select(
        "OpportunityStage", STAGE_FIELDS, where="IsActive = true", order_by="SortOrder, ApiName"
    )
    return [Stage(row["ApiName"], bool(row["IsClosed"])) for row in client.query(statement)]


def org_currency_fields(client: SalesforceClient) -> dict[str, str]:
    """Opportunity's currency fields (API name → label), Amount first."""
    fields = client.fields("Opportunity")
    return {name: fields[name]["label"] for name in currency_field_names(fields)}

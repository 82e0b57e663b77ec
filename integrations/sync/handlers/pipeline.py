"""The pipeline import (Sales Navigator's CRM settings): the Accounts and Contacts of seat
holders' open opportunities become local companies and contacts.

For every seat holder whose CRM work is synced and whose seat is matched to an active
Salesforce user, each cycle reads their open Opportunities at or beyond the pipeline stage
(the org's stage order; "not sure": every open one), in one query for all of them, then
those Opportunities' Accounts, the Accounts' Contacts and the Contacts in their contact
roles. The rows go through the accounts and people handlers' own `apply`, as a pull would
hand them over (matching, merging, history), except that every Contact creates a contact
whatever "new Salesforce Contacts create contacts" says. Rows already seen change nothing,
so a cycle with nothing new writes nothing. Local opportunities of the pipeline (opportunity
sync) are then linked to the companies and contacts imported.

A few queries per cycle however many seat holders: the stages, the Opportunities, and one
Composite call each for the Accounts, the contact roles and the Contacts.
"""

from __future__ import annotations

from functools import partial

from integrations.exceptions import ConfigurationError
from integrations.models import MappedObject, Seat, SyncSettings
from integrations.models.sync_settings import NOT_SURE
from integrations.salesforce import soql
from integrations.sync import pull
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.accounts import AccountHandler
from integrations.sync.handlers.base import Handler
from integrations.sync.handlers.opportunities import contact_roles
from integrations.sync.handlers.people import PeopleHandler
from integrations.sync.pipeline_org import org_stages
from integrations.sync.rules.pipeline import pipeline_stage_names
from tracking.models import Company, Contact, Opportunity

ACCOUNT, CONTACT = MappedObject.ACCOUNT, MappedObject.CONTACT
OPPORTUNITY_FIELDS = ["Id", "AccountId"]
STAGE_HINT = (
    "Choose one of the org's open Opportunity stages, or “not sure”, in the sync settings "
    "(Pipeline)."
)


class PipelineHandler(Handler):
    def enabled(self, settings: SyncSettings) -> bool:
        return bool(pipeline_owner_ids(settings))

    def pull(self, cycle: Cycle) -> None:
        owners = pipeline_owner_ids(cycle.settings)
        if not owners:
            return
        cycle.phase("Importing the seat holders' pipelines")
        opportunities = _pipeline_opportunities(cycle, owners)
        if not opportunities:
            return
        accounts = {row["AccountId"] for row in opportunities if row.get("AccountId")}
        _import(cycle, AccountHandler(), ACCOUNT, field="Id", values=accounts)
        roles = contact_roles(cycle.client, [row["Id"] for row in opportunities])
        people = partial(PeopleHandler().apply, create_all=True)
        read = _import(cycle, PeopleHandler(), CONTACT, field="AccountId", values=accounts,
                       apply=people)  # fmt: skip
        by_role = {role["ContactId"] for role in roles} - read
        _import(cycle, PeopleHandler(), CONTACT, field="Id", values=by_role, apply=people)
        _link_local_opportunities(cycle, opportunities, roles)


def pipeline_owner_ids(settings: SyncSettings) -> list[str]:
    """The Salesforce user ids of the seat holders whose pipeline is imported: CRM sync on
    (`Seat.syncs`) and matched to an active Salesforce user."""
    auto_sync = settings.auto_sync_seat_holders
    seats = Seat.objects.exclude(salesforce_user_id="")
    syncing = [seat for seat in seats if seat.matched and seat.syncs(auto_sync=auto_sync)]
    return sorted({seat.salesforce_user_id for seat in syncing})


def _pipeline_opportunities(cycle: Cycle, owners: list[str]) -> list[dict]:
    """The owners' open Opportunities at or beyond the pipeline stage (one query)."""
    where = "IsClosed = false"
    stages = _stages(cycle)
    if stages is not None:
        where += " AND " + soql.format_soql("StageName IN {}", stages)
    rows = cycle.client.query_in(
        "Opportunity", OPPORTUNITY_FIELDS, field="OwnerId", values=owners, extra_where=where
    )
    return list(rows)


def _stages(cycle: Cycle) -> list[str] | None:
    """The pipeline's stages in the org's order (None: every open one); a stage the org no
    longer has open is a settings problem, reported as one."""
    threshold = cycle.settings.pipeline_stage
    stages = [] if threshold == NOT_SURE else org_stages(cycle.client)
    try:
        return pipeline_stage_names(threshold=threshold, stages=stages)
    except ValueError as error:
        raise ConfigurationError(
            f"The pipeline stage in the sync settings is “{threshold}”, which is not an open "
            "Opportunity stage of the Salesforce org.",
            code="INVALID_SETTINGS",
            hint=STAGE_HINT,
        ) from error


def _import(cycle: Cycle, handler: Handler, sobject: str, *, field: str, values: set[str],
            apply=None) -> set[str]:  # fmt: skip
    """Read the rows of `sobject` whose `field` is one of `values` with the fields a pull
    selects, and apply them as a pull would; the ids read."""
    if not values:
        return set()
    maps, fields = pull.pulled_fields(cycle, sobject, handler.base_fields[sobject])
    rows = list(cycle.client.query_in(sobject, fields, field=field, values=values))
    pull.apply_rows(cycle, sobject, rows, maps, apply=apply or handler.apply)
    return {row["Id"] for row in rows}


def _link_local_opportunities(cycle: Cycle, opportunities: list[dict], roles: list[dict]) -> None:
    """Local opportunities of the pipeline (mirrored before their Account and Contacts were
    imported) are linked to their company and contacts."""
    local = {
        opportunity.salesforce_id: opportunity
        for opportunity in Opportunity.objects.filter(
            salesforce_id__in=[row["Id"] for row in opportunities]
        )
    }
    if not local:
        return
    companies = {
        company.salesforce_id: company
        for company in Company.objects.filter(
            salesforce_id__in={opportunity.account_salesforce_id for opportunity in local.values()}
        )
    }
    unlinked = [
        opportunity
        for opportunity in local.values()
        if opportunity.company_id is None and opportunity.account_salesforce_id in companies
    ]
    for opportunity in unlinked:
        opportunity.company = companies[opportunity.account_salesforce_id]
    cycle.store.update(Opportunity, unlinked, ["company"])
    contacts = dict(
        Contact.objects.filter(salesforce_id__in={role["ContactId"] for role in roles}).values_list(
            "salesforce_id", "pk"
        )
    )
    through = Opportunity.contacts.through
    cycle.store.create(
        through,
        [
            through(opportunity_id=local[role["OpportunityId"]].pk,
                    contact_id=contacts[role["ContactId"]])
            for role in roles
            if role["OpportunityId"] in local and role["ContactId"] in contacts
        ],
        ignore_conflicts=True,
    )  # fmt: skip

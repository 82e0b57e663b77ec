"""Opportunities → the local mirror (read only), and the Closed Won lifecycle transition.

Opportunities have no field mappings: the mirror keeps name, stage, amount, close date,
account and owner. A won opportunity's amount is read from the field the pipeline settings
name (`won_value_field`; Amount when "not sure"), an open or lost one's from Amount. A row
already seen (same SystemModstamp: the overlap window reads some rows twice) is skipped, as
for people and companies. Their contacts come from OpportunityContactRole, read only for the
opportunities a batch changed.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_date

from integrations.choices import Direction, Operation
from integrations.exceptions import ConfigurationError
from integrations.models import SyncSettings
from integrations.sync import pull
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.base import Handler
from integrations.sync.rules.merge import seen_already
from integrations.sync.rules.pipeline import AMOUNT, won_value_source
from tracking.choices import LifecycleStage
from tracking.models import Company, Contact, Opportunity

MIRRORED = [
    "name", "stage", "amount", "close_date", "company", "account_salesforce_id",
    "owner_salesforce_id", "is_closed", "is_won", "salesforce_modstamp", "salesforce_synced_at",
    "deleted_in_salesforce",
]  # fmt: skip


class OpportunityHandler(Handler):
    reads = ("Opportunity",)
    base_fields = {
        "Opportunity": ["Id", "Name", "StageName", "Amount", "CloseDate", "AccountId", "OwnerId",
                        "IsClosed", "IsWon", "IsDeleted"],
    }  # fmt: skip

    def enabled(self, settings: SyncSettings) -> bool:
        return settings.opportunity_sync

    def pull(self, cycle: Cycle) -> None:
        """Read the changed Opportunities with the won value's field besides the others."""
        sobject = self.reads[0]
        won_field = won_value_field(cycle)
        cycle.phase(f"Reading {sobject}s from Salesforce")
        fields = [*self.base_fields[sobject], won_field]  # select() drops a second Amount
        pull.pull_changes(cycle, sobject, fields, apply=self.apply)

    def apply(self, cycle: Cycle, sobject: str, rows: list[dict], maps: list) -> None:
        _mirror_batch(cycle, sobject, rows)


def won_value_field(cycle: Cycle) -> str:
    """The field a won deal's value is read from; one the org no longer has (its cached
    describe()) is a settings problem, reported as one."""
    name = won_value_source(cycle.settings.won_value_field)
    if name != AMOUNT and name not in cycle.client.fields("Opportunity"):
        raise ConfigurationError(
            f"The won value field in the sync settings is {name}, but Opportunity has no such "
            "field in the Salesforce org.",
            code="INVALID_SETTINGS",
            hint="Choose Amount or another currency field of Opportunity in the sync settings "
            "(Pipeline).",
        )
    return name


def _mirror_batch(cycle: Cycle, sobject: str, rows: list[dict]) -> None:
    """Mirror the rows; link their contacts; newly won deals make customers."""
    recorder = cycle.recorder
    now = timezone.now()
    existing = {
        opportunity.salesforce_id: opportunity
        for opportunity in Opportunity.objects.filter(salesforce_id__in=[row["Id"] for row in rows])
    }
    companies = {
        company.salesforce_id: company
        for company in Company.objects.filter(
            salesforce_id__in={row["AccountId"] for row in rows if row.get("AccountId")}
        )
    }
    won_field = won_value_source(cycle.settings.won_value_field)
    new, touched, newly_won = [], [], []
    for row in rows:
        opportunity = existing.get(row["Id"]) or Opportunity(salesforce_id=row["Id"])
        if opportunity.pk is not None and seen_already(opportunity, row):
            continue
        was_won = opportunity.pk is not None and opportunity.is_won
        _mirror(opportunity, row, companies, now, won_field=won_field)
        (touched if opportunity.pk else new).append(opportunity)
        if opportunity.is_won and not was_won and not opportunity.deleted_in_salesforce:
            newly_won.append(opportunity)
    cycle.store.create(Opportunity, new)
    cycle.store.update(Opportunity, touched, MIRRORED)
    for operation, opportunities in ((Operation.CREATE, new), (Operation.UPDATE, touched)):
        for opportunity in opportunities:
            recorder.event(
                opportunity,
                direction=Direction.INBOUND,
                operation=operation,
                salesforce_object=sobject,
                salesforce_id=opportunity.salesforce_id,
            )
    live = [opportunity for opportunity in new + touched if not opportunity.deleted_in_salesforce]
    won = newly_won if cycle.settings.lifecycle_on_closed_won else []
    if live:
        roles = contact_roles(cycle.client, [opportunity.salesforce_id for opportunity in live])
        opportunities_link_contacts(live, roles, newly_won=won, cycle=cycle)


def _mirror(opportunity: Opportunity, row: dict, companies: dict, now, *, won_field: str) -> None:
    opportunity.name = row.get("Name") or ""
    opportunity.stage = row.get("StageName") or ""
    amount = row.get(won_field if row.get("IsWon") else AMOUNT)
    opportunity.amount = Decimal(str(amount)) if amount is not None else None
    opportunity.close_date = parse_date(row["CloseDate"]) if row.get("CloseDate") else None
    opportunity.account_salesforce_id = row.get("AccountId") or ""
    opportunity.company = companies.get(opportunity.account_salesforce_id)
    opportunity.owner_salesforce_id = row.get("OwnerId") or ""
    opportunity.is_closed = bool(row.get("IsClosed"))
    opportunity.is_won = bool(row.get("IsWon"))
    opportunity.salesforce_modstamp = row["SystemModstamp"]
    opportunity.salesforce_synced_at = now
    opportunity.deleted_in_salesforce = bool(row.get("IsDeleted"))


def contact_roles(client, opportunity_ids) -> list[dict]:
    """The OpportunityContactRole rows (OpportunityId, ContactId) of these Opportunities."""
    return list(
        client.query_in(
            "OpportunityContactRole",
            ["OpportunityId", "ContactId"],
            field="OpportunityId",
            values=opportunity_ids,
        )
    )


def opportunities_link_contacts(opportunities, roles, *, newly_won=(), cycle: Cycle) -> None:
    """Attach contacts by their contact roles; contacts of newly won deals become customers."""
    by_id = {opportunity.salesforce_id: opportunity for opportunity in opportunities}
    contacts = {
        contact.salesforce_id: contact
        for contact in Contact.objects.filter(
            salesforce_id__in={role["ContactId"] for role in roles}
        )
    }
    links = {}
    for role in roles:
        contact = contacts.get(role["ContactId"])
        if contact is not None:
            links.setdefault(role["OpportunityId"], []).append(contact)
    through = Opportunity.contacts.through
    # Every one is saved by now, except in a preview (its new ones have no key, no links).
    saved = [opportunity.pk for opportunity in opportunities if opportunity.pk is not None]
    cycle.store.delete(through.objects.filter(opportunity__in=saved))
    cycle.store.create(
        through,
        [
            through(opportunity_id=by_id[salesforce_id].pk, contact_id=contact.pk)
            for salesforce_id, linked in links.items()
            for contact in {item.pk: item for item in linked}.values()
        ],
    )
    won_ids = {opportunity.salesforce_id for opportunity in newly_won}
    customers = {
        contact.pk: contact
        for salesforce_id in won_ids
        for contact in links.get(salesforce_id, [])
        if contact.lifecycle_stage != LifecycleStage.CUSTOMER
    }
    for contact in customers.values():
        cycle.recorder.event(
            contact,
            direction=Direction.INBOUND,
            operation=Operation.UPDATE,
            salesforce_object=contact.salesforce_object,
            salesforce_id=contact.salesforce_id,
            changes=[
                {
                    "field": "lifecycle_stage",
                    "old": contact.lifecycle_stage,
                    "new": LifecycleStage.CUSTOMER,
                }
            ],
            message="An opportunity of this contact was Closed Won.",
        )
        contact.lifecycle_stage = LifecycleStage.CUSTOMER
    cycle.store.update(Contact, list(customers.values()), ["lifecycle_stage"])

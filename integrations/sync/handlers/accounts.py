"""Accounts ↔ local companies, both directions (when account sync is on).

Pull: update linked companies, link an unlinked one by name or website domain, create the
rest, each keeping its Account's OwnerId (whose seat holder may read it); a company without
a domain takes its Website's (unless another company has it); a deleted Account unlinks its
company. Contacts waiting for their Account (read before it was
synced) are linked once it is, on either pull or push. Push: match unlinked companies by
name, then by website domain, then create what matched nothing and update what changed.
An Account merged into another in Salesforce is followed there, never deleted (`merges.py`).
"""

from __future__ import annotations

from django.db.models.functions import Lower
from django.utils import timezone

from integrations import conf
from integrations.choices import Direction, Operation
from integrations.models import MappedObject, SyncSettings
from integrations.sync import lookups, push
from integrations.sync.company_links import contacts_link_waiting
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.base import Handler
from integrations.sync.merges import merges_follow
from integrations.sync.pull import merge_into
from integrations.sync.rules.deletion import deletion_message
from integrations.sync.rules.fields import FieldMap, model_fields
from integrations.sync.rules.matching import company_domain, website_key
from integrations.sync.rules.merge import BOOKKEEPING_FIELDS, seen_already, unlink
from tracking.choices import Origin
from tracking.models import Company

ACCOUNT = MappedObject.ACCOUNT


class AccountHandler(Handler):
    reads = (ACCOUNT,)
    writes = (ACCOUNT,)
    base_fields = {ACCOUNT: ["Id", "Name", "Website", "IsDeleted", "OwnerId", "MasterRecordId"]}
    push_phase = "Sending companies to Salesforce"

    def enabled(self, settings: SyncSettings) -> bool:
        return settings.account_sync

    def waiting(self) -> int:
        return push.unsynced(Company).count()

    def apply(self, cycle: Cycle, sobject: str, rows: list[dict], maps: list[FieldMap]) -> None:
        rows = merges_follow(cycle, sobject, rows, base_fields=self.base_fields[sobject],
                             apply=self.apply)  # fmt: skip
        ids = [row["Id"] for row in rows]
        linked = {
            company.salesforce_id: company
            for company in Company.objects.filter(salesforce_id__in=ids)
        } | cycle.store.linked(Company, ids)  # a preview's, as it left them
        unlinked = lookups.unlinked_companies(rows)
        now = timezone.now()
        new, touched, read = [], [], []
        for row in rows:
            company = linked.get(row["Id"])
            if row["IsDeleted"]:
                if company is not None:
                    _deleted(cycle, company, row)
                    touched.append(company)
                continue
            operation = Operation.UPDATE
            if company is None:
                company = unlinked.take(row)
                operation = Operation.MATCH
                if company is None:
                    company = Company(name=row.get("Name") or "", origin=Origin.SALESFORCE)
                    operation = Operation.CREATE
                company.salesforce_id = row["Id"]
            elif seen_already(company, row):
                continue
            company.salesforce_owner_id = row.get("OwnerId") or ""
            merge_into(company, row, maps, operation=operation, sobject=sobject,
                       recorder=cycle.recorder, now=now)  # fmt: skip
            (new if company.pk is None else touched).append(company)
            read.append((company, row))
        _fill_domains(read)
        cycle.store.create(Company, new)
        fields = [*model_fields(maps), *BOOKKEEPING_FIELDS, "domain", "salesforce_owner_id"]
        cycle.store.update(Company, touched, fields)
        cycle.recorder.resolve_saved()
        contacts_link_waiting(new + touched, cycle)

    def push(self, cycle: Cycle) -> None:
        maps = cycle.field_maps(ACCOUNT)
        queryset = push.unsynced(Company, pending=cycle.store.pending(Company))
        for batch in push.batches(queryset, conf.get("SYNC_BATCH_SIZE")):
            loaded_at = timezone.now()
            batch = cycle.store.current(batch)
            _match_by_name_or_domain(cycle, maps, batch)
            writes = push.plan(
                batch,
                sobject_of=lambda company: ACCOUNT,
                maps={ACCOUNT: maps},
                create_defaults=lambda company, sobject: {"Name": company.name},
                recorder=cycle.recorder,
                loaded_at=loaded_at,
            )
            push.send(cycle, writes, loaded_at)
            cycle.store.update(Company, batch, push.LINK_FIELDS)
            contacts_link_waiting(batch, cycle)
            cycle.recorder.flush()
            cycle.advance(len(batch))


def _fill_domains(read: list[tuple[Company, dict]]) -> None:
    """Companies without a domain take their Account's Website domain; a domain another
    company has already stays with it (a domain names one company)."""
    wanted = [(company, website_key(row)) for company, row in read if not company.domain]
    wanted = [(company, domain) for company, domain in wanted if domain]
    if not wanted:
        return
    taken = set(
        Company.objects.annotate(domain_lower=Lower("domain"))
        .filter(domain_lower__in={domain for _, domain in wanted})
        .values_list("domain_lower", flat=True)
    )
    for company, domain in wanted:
        if domain not in taken:
            company.domain = domain
            taken.add(domain)


def _deleted(cycle: Cycle, company: Company, row: dict) -> None:
    cycle.recorder.event_when_saved(
        company,
        direction=Direction.INBOUND,
        operation=Operation.DELETE,
        salesforce_object=ACCOUNT,
        salesforce_id=row["Id"],
        message=deletion_message(ACCOUNT, deleted=False),
    )
    unlink(company)


def _match_by_name_or_domain(cycle: Cycle, maps: list[FieldMap], companies) -> None:
    """Link unlinked companies to an existing Account by name, else by website domain."""
    fields = [item.salesforce for item in maps]  # select() drops the duplicates
    unlinked = [company for company in companies if not company.salesforce_id]
    by_name = lookups.rows_by_name(cycle.client, ACCOUNT, fields, (c.name for c in unlinked))
    for company in unlinked:
        row = by_name.get(company.name_key)
        if row is not None:
            push.link_found(company, ACCOUNT, row, maps, cycle.recorder)
    unlinked = [company for company in unlinked if not company.salesforce_id]
    domains = {company.pk: company_domain(company) for company in unlinked}
    by_domain = lookups.rows_by_domain(cycle.client, ACCOUNT, fields, domains.values())
    for company in unlinked:
        row = by_domain.get(domains[company.pk])
        if row is not None:
            push.link_found(company, ACCOUNT, row, maps, cycle.recorder)

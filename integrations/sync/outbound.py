"""Outbound: local contacts and companies → Salesforce Leads, Contacts and Accounts.

Per batch: match the unlinked records by email (Contact first, then an unconverted Lead) or,
for companies, by name; then send only the mapped fields that changed since both sides last
agreed (`sync_values`); create what matched nothing as the configured record type. Writes go
through `client.save` (collections of 200, Bulk API 2.0 above the threshold). A record's
error is recorded on that record and never blocks the others. Matching before every create
makes a re-run after a crash link the records the crashed run created instead of duplicating
them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from integrations import conf
from integrations.choices import Direction, InclusionMode, MappingRule, Operation
from integrations.models import SyncSettings
from integrations.salesforce import soql
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.results import RecordError
from integrations.sync import geo, matching
from integrations.sync.db import update_rows
from integrations.sync.fields import FieldMap, as_salesforce, field_maps, outbound_value, same
from integrations.sync.history import Recorder
from integrations.sync.policies import inclusion_q
from tracking.models import Company, Contact

LEAD_COMPANY_PLACEHOLDER = "[not provided]"
# Fields Salesforce requires: a blank local value never clears them.
REQUIRED = {"Lead": {"LastName", "Company"}, "Contact": {"LastName"}, "Account": {"Name"}}
SYNC_FIELDS = ["salesforce_id", "salesforce_object", "salesforce_synced_at", "sync_values"]


@dataclass
class Plan:
    """What one batch sends to one Salesforce object."""

    creates: list[tuple[object, dict]] = field(default_factory=list)
    updates: list[tuple[object, dict]] = field(default_factory=list)


def pending(model, *, extra: Q | None = None) -> QuerySet:
    """Records changed here since their last sync (or never synced)."""
    queryset = model.objects.filter(deleted_in_salesforce=False).filter(
        Q(salesforce_synced_at__isnull=True) | Q(local_modified_at__gt=F("salesforce_synced_at"))
    )
    return queryset.filter(extra) if extra is not None else queryset


def batches(queryset: QuerySet, size: int) -> Iterator[list]:
    """Keyset pagination by pk: constant memory however many rows there are."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def contacts_outbound(
    *,
    client: SalesforceClient,
    settings: SyncSettings,
    recorder: Recorder,
    advance: Callable[[int], None],
    read_since: datetime,
) -> None:
    rules = list(settings.rules.all())
    included = inclusion_q(mode=settings.inclusion_mode, rules=rules)
    if settings.inclusion_mode != InclusionMode.NONE:
        excluded = pending(Contact).exclude(included).count()
        if excluded:
            recorder.count("Contact", Operation.SKIP, amount=excluded)
    maps = {
        name: field_maps(name, picklists=settings.state_country_picklists)
        for name in ("Lead", "Contact")
    }
    for batch in batches(pending(Contact, extra=included), conf.get("SYNC_BATCH_SIZE")):
        loaded_at = timezone.now()
        _contact_batch(client, settings, maps, batch, recorder, loaded_at, read_since)
        recorder.flush()
        advance(len(batch))


def _contact_batch(client, settings, maps, contacts, recorder, loaded_at, read_since) -> None:
    _link_contacts(client, maps, contacts, recorder)
    plans = _plans(
        contacts,
        sobject_of=lambda contact: contact.salesforce_object or settings.new_record_type,
        maps=maps,
        create_defaults=_contact_defaults,
        recorder=recorder,
        loaded_at=loaded_at,
    )
    _send(client, plans, recorder, loaded_at, read_since)
    update_rows(Contact, contacts, SYNC_FIELDS)


def _contact_defaults(contact: Contact, sobject: str) -> dict:
    """Salesforce requires a company on every Lead."""
    return {"Company": LEAD_COMPANY_PLACEHOLDER} if sobject == "Lead" else {}


def _plans(records, *, sobject_of, maps, create_defaults, recorder, loaded_at) -> dict[str, Plan]:
    """Per Salesforce object: what to create and what to update; records with nothing to
    send are synced as they are."""
    plans: dict[str, Plan] = defaultdict(Plan)
    for record in records:
        sobject = sobject_of(record)
        payload = _payload(record, maps[sobject], sobject, recorder)
        if not record.salesforce_id:
            for name, value in create_defaults(record, sobject).items():
                if not payload.get(name):
                    payload[name] = value
            plans[sobject].creates.append((record, payload))
        elif payload:
            plans[sobject].updates.append((record, payload))
        else:
            record.salesforce_synced_at = loaded_at
    return plans


def _send(client, plans: dict[str, Plan], recorder, loaded_at, read_since) -> None:
    for sobject, plan in plans.items():
        _defer_changed_elsewhere(client, sobject, plan, recorder, read_since)
        _write(client, sobject, plan, recorder, loaded_at)


def _link_contacts(client, maps, contacts, recorder) -> None:
    """Link unlinked contacts to an existing Contact, else an unconverted Lead, by email."""
    for sobject in ("Contact", "Lead"):
        unlinked = [contact for contact in contacts if not contact.salesforce_id]
        if not unlinked:
            return
        fields = [item.salesforce for item in maps[sobject]]  # select() drops the duplicates
        found = matching.rows_by_email(
            client, sobject, fields, (contact.email for contact in unlinked)
        )
        for contact in unlinked:
            row = found.get(contact.email.lower())
            if row is not None:
                _link(contact, sobject, row, maps[sobject], recorder)


def _link(record, sobject: str, row: dict, maps: list[FieldMap], recorder: Recorder) -> None:
    if isinstance(record, Contact):
        record.salesforce_object = sobject
    record.salesforce_id = row["Id"]
    record.sync_values = {item.salesforce: row.get(item.salesforce) for item in maps}
    recorder.event(
        record,
        direction=Direction.OUTBOUND,
        operation=Operation.MATCH,
        salesforce_object=sobject,
        salesforce_id=row["Id"],
    )


def _payload(record, maps: list[FieldMap], sobject: str, recorder: Recorder) -> dict:
    """Mapped fields whose local value differs from what both sides last agreed on."""
    last = record.sync_values or {}
    payload: dict = {}
    country: str | None = None
    for item in maps:
        if not item.writes:
            continue
        try:
            value = outbound_value(record, item, country=country)
        except geo.GeoError as error:
            recorder.event(
                record,
                direction=Direction.OUTBOUND,
                operation=Operation.ERROR,
                salesforce_object=sobject,
                salesforce_id=record.salesforce_id,
                error=RecordError("FIELD_INTEGRITY_EXCEPTION", str(error), (item.salesforce,)),
            )
            continue
        if item.geo == "country":
            country = value
        if item.rule == MappingRule.PREFER_SALESFORCE and as_salesforce(last.get(item.salesforce)):
            continue  # Salesforce has a value, and it wins
        if value is None and (not record.salesforce_id or item.salesforce in REQUIRED[sobject]):
            continue  # nothing to create with, or a required field Salesforce keeps
        if item.salesforce not in last or not same(
            value, last[item.salesforce], case_insensitive=item.case_insensitive
        ):
            payload[item.salesforce] = value
    return payload


def _defer_changed_elsewhere(client, sobject, plan: Plan, recorder, read_since) -> None:
    """Hold back updates of records someone changed in Salesforce since this cycle read them.

    Sending now would overwrite a change the inbound pass has not seen; the next cycle reads
    it first and then sends what still differs.
    """
    if not plan.updates or not client.user_id:
        return
    where = soql.format_soql(
        "SystemModstamp >= {} AND LastModifiedById != {}", read_since, client.user_id
    )
    seen = {record.salesforce_id: record.salesforce_modstamp for record, _ in plan.updates}
    rows = client.query_in(
        sobject, ["Id", "SystemModstamp"], field="Id", values=list(seen), extra_where=where
    )
    changed = {
        row["Id"]
        for row in rows
        if seen[row["Id"]] is None or parse_datetime(row["SystemModstamp"]) > seen[row["Id"]]
    }
    if not changed:
        return
    plan.updates = [item for item in plan.updates if item[0].salesforce_id not in changed]
    recorder.count(sobject, Operation.SKIP, amount=len(changed))


def _write(client, sobject: str, plan: Plan, recorder: Recorder, loaded_at: datetime) -> None:
    if plan.creates:
        results = client.save("insert", sobject, [payload for _, payload in plan.creates])
        for (record, payload), result in zip(plan.creates, results, strict=True):
            _apply(record, sobject, payload, result, Operation.CREATE, recorder, loaded_at)
    if plan.updates:
        rows = [{"Id": record.salesforce_id, **payload} for record, payload in plan.updates]
        results = client.save("update", sobject, rows)
        for (record, payload), result in zip(plan.updates, results, strict=True):
            _apply(record, sobject, payload, result, Operation.UPDATE, recorder, loaded_at)


def _apply(record, sobject, payload, result, operation, recorder, loaded_at) -> None:
    if not result.success:
        recorder.event(
            record,
            direction=Direction.OUTBOUND,
            operation=operation,
            salesforce_object=sobject,
            salesforce_id=record.salesforce_id,
            error=result.errors[0] if result.errors else RecordError("UNKNOWN", "No details."),
        )
        return
    last = dict(record.sync_values or {})
    changes = [
        {"field": name, "old": last.get(name), "new": value} for name, value in payload.items()
    ]
    if operation == Operation.CREATE:
        record.salesforce_id = result.id
        if isinstance(record, Contact):
            record.salesforce_object = sobject
    last.update(payload)
    record.sync_values = last
    record.salesforce_synced_at = loaded_at
    recorder.event(
        record,
        direction=Direction.OUTBOUND,
        operation=operation,
        salesforce_object=sobject,
        salesforce_id=record.salesforce_id,
        changes=changes,
    )


def companies_outbound(
    *,
    client: SalesforceClient,
    settings: SyncSettings,
    recorder: Recorder,
    advance: Callable[[int], None],
    read_since: datetime,
) -> None:
    maps = field_maps("Account", picklists=settings.state_country_picklists)
    for batch in batches(pending(Company), conf.get("SYNC_BATCH_SIZE")):
        loaded_at = timezone.now()
        _link_companies(client, maps, batch, recorder)
        plans = _plans(
            batch,
            sobject_of=lambda company: "Account",
            maps={"Account": maps},
            create_defaults=lambda company, sobject: {"Name": company.name},
            recorder=recorder,
            loaded_at=loaded_at,
        )
        _send(client, plans, recorder, loaded_at, read_since)
        update_rows(Company, batch, ["salesforce_id", "salesforce_synced_at", "sync_values"])
        recorder.flush()
        advance(len(batch))


def _link_companies(client, maps, companies, recorder) -> None:
    """Link unlinked companies to an existing Account by name, else by website domain."""
    fields = [item.salesforce for item in maps]  # select() drops the duplicates
    unlinked = [company for company in companies if not company.salesforce_id]
    by_name = matching.rows_by_name(client, "Account", fields, (c.name for c in unlinked))
    for company in unlinked:
        row = by_name.get(company.name.strip().lower())
        if row is not None:
            _link(company, "Account", row, maps, recorder)
    unlinked = [company for company in unlinked if not company.salesforce_id]
    domains = {company.pk: matching.company_domain(company) for company in unlinked}
    by_domain = matching.rows_by_domain(client, "Account", fields, domains.values())
    for company in unlinked:
        row = by_domain.get(domains[company.pk])
        if row is not None:
            _link(company, "Account", row, maps, recorder)

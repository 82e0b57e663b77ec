"""Inbound: Salesforce Leads, Contacts, Accounts and Opportunities → local records.

One `queryAll` per object reads every row whose SystemModstamp passed the watermark (minus an
overlap window), deleted rows included, ordered by SystemModstamp so the watermark can move
after each batch. A row we already saw (same SystemModstamp) or whose values equal what both
sides last agreed on changes nothing: a value we wrote is never imported back as a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from itertools import islice

from django.utils.dateparse import parse_datetime

from integrations import conf
from integrations.models import SyncCursor, SyncSettings
from integrations.salesforce import soql
from integrations.salesforce.client import SalesforceClient
from integrations.sync.accounts import apply_accounts
from integrations.sync.fields import field_maps
from integrations.sync.history import Recorder
from integrations.sync.opportunities import apply_opportunities
from integrations.sync.people import apply_people

BASE_FIELDS = {
    "Lead": ["Id", "Email", "IsDeleted", "IsConverted", "ConvertedContactId",
             "ConvertedAccountId"],
    "Contact": ["Id", "Email", "IsDeleted", "AccountId"],
    "Account": ["Id", "Name", "Website", "IsDeleted"],
    "Opportunity": ["Id", "Name", "StageName", "Amount", "CloseDate", "AccountId", "OwnerId",
                    "IsClosed", "IsWon", "IsDeleted"],
}  # fmt: skip
AUDIT_FIELDS = ["SystemModstamp", "LastModifiedDate"]
# One handler per object; each applies a batch of rows to the local records.
HANDLERS = {
    "Lead": apply_people,
    "Contact": apply_people,
    "Account": apply_accounts,
    "Opportunity": apply_opportunities,
}


def objects_to_read(settings: SyncSettings) -> list[str]:
    """Leads before Contacts: a conversion re-links a contact before its Contact arrives."""
    names = ["Lead", "Contact"]
    if settings.account_sync:
        names.insert(0, "Account")
    if settings.opportunity_sync:
        names.append("Opportunity")
    return names


def read_object(
    *,
    client: SalesforceClient,
    settings: SyncSettings,
    sobject: str,
    recorder: Recorder,
    advance: Callable[[int], None],
) -> None:
    """Apply every change of one object since its watermark, batch by batch."""
    cursor, _ = SyncCursor.objects.get_or_create(salesforce_object=sobject)
    maps = field_maps(sobject, picklists=settings.state_country_picklists)
    fields = BASE_FIELDS[sobject] + AUDIT_FIELDS + [item.salesforce for item in maps if item.reads]
    statement = soql.select(
        sobject, fields, where=_changes_since(cursor, client.user_id), order_by="SystemModstamp, Id"
    )
    rows = client.query(statement, include_deleted=True)
    for batch in _chunks(rows, conf.get("SYNC_BATCH_SIZE")):
        for row in batch:
            row["SystemModstamp"] = parse_datetime(row["SystemModstamp"])
            row["LastModifiedDate"] = parse_datetime(row["LastModifiedDate"])
        HANDLERS[sobject](
            client=client,
            sobject=sobject,
            rows=batch,
            maps=maps,
            settings=settings,
            recorder=recorder,
        )
        recorder.flush()
        cursor.last_modstamp = max(row["SystemModstamp"] for row in batch)
        cursor.save(update_fields=["last_modstamp", "updated_at"])
        advance(len(batch))


def _changes_since(cursor: SyncCursor, integration_user_id: str) -> str:
    """Rows past the watermark (less the overlap) that someone else changed or deleted.

    Rows last modified by the integration user are our own writes: skipping them in the
    query (Salesforce's advice for two-way syncs) keeps a cycle after a big outbound push
    from reading everything back. Deletions are read whoever made them.
    """
    conditions = []
    if cursor.last_modstamp:
        since = cursor.last_modstamp - timedelta(seconds=conf.get("SYNC_OVERLAP_SECONDS"))
        conditions.append(soql.format_soql("SystemModstamp >= {}", since))
    if integration_user_id:
        conditions.append(
            soql.format_soql("(LastModifiedById != {} OR IsDeleted = true)", integration_user_id)
        )
    return " AND ".join(conditions)


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch

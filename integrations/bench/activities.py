"""The activity scenarios' set-up, and the first of them: 1,000 visits of known contacts pushed
by one `salesforce_activities_push()` in this process.

The set-up is what a live org looks like to the activities lane: Contacts in Salesforce that
the contact sync has linked to local contacts, Accounts the links name, links owned by a sales
user, and visits posted through `visits_upsert` (what the API calls), 1,000 a batch.
"""

from __future__ import annotations

import time
from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from integrations.bench.processes import EmulatorProcess
from integrations.choices import RunStatus, RunTrigger
from integrations.models import SyncCursor
from integrations.services.activities_push import salesforce_activities_push
from integrations.services.settings import sync_settings_update
from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from tracking.models import Activity, Contact, Document, Link, Room, SyncEvent, Visit
from tracking.services.activities import links_upsert, visits_upsert

LINK_OWNER = "sam.seller@crmbridge-emulator.example"  # an active sales user of the emulated org
LINKS = 10
API_BATCH = 1_000  # items per request, the API's limit


def activities_prepare(emulator: EmulatorProcess, *, contacts: int) -> list[Contact]:
    """A fresh org with `contacts` Contacts the contact sync linked locally, the Accounts of
    the links, the links themselves, and task sync on; the linked contacts."""
    _fresh(emulator)
    emulator.control("POST", "seed", accounts=0, contacts=contacts, leads=0, opportunities=0)
    run = salesforce_sync_run(run=salesforce_sync_create(trigger=RunTrigger.COMMAND))
    if run.status != RunStatus.SUCCEEDED:
        raise CommandError(f"Linking the bench's contacts: the run {run.status}: {run.error}")
    linked = list(Contact.objects.exclude(salesforce_id="").order_by("pk"))
    if len(linked) != contacts:
        raise CommandError(f"{len(linked)} of {contacts} seeded Contacts were linked locally.")
    for index in range(LINKS):
        emulator.control("POST", "records/Account", Name=link_account(index))
    links_upsert(items=[_link_item(index) for index in range(LINKS)])
    sync_settings_update(data={"task_sync": True})
    return linked


def visits_pushed(emulator: EmulatorProcess, *, contacts: list[Contact]) -> dict:
    """One visit per known contact, then one push; its calls, time and Tasks."""
    started_at = timezone.now()
    items = [
        visit_item(f"pushed-{index}", contact, link=index % LINKS, started_at=started_at)
        for index, contact in enumerate(contacts)
    ]
    for start in range(0, len(items), API_BATCH):
        visits_upsert(items=items[start : start + API_BATCH])
    before = emulator.api_calls()
    started = time.perf_counter()
    runs = salesforce_activities_push(trigger=RunTrigger.COMMAND)
    seconds = time.perf_counter() - started
    calls = emulator.api_calls() - before
    name = f"{len(items):,} visits of known contacts pushed"
    failed = [run for run in runs if run.status != RunStatus.SUCCEEDED]
    if not runs or failed:
        raise CommandError(f"{name}: {[(run.status, run.error) for run in failed or runs]}")
    unsent = Visit.objects.filter(external_id__startswith="pushed-", salesforce_id="").count()
    if unsent:
        raise CommandError(f"{name}: {unsent} visits have no Task.")
    tasks = emulator.control("GET", "stats")["records"]["Task"]
    return {
        "name": name, "records": len(items), "calls": calls, "seconds": seconds,
        "per_1000": 1000 * calls / len(items), "per_second": len(items) / seconds,
        "result": f"{tasks:,} Tasks ({LINKS} of them the links'), {len(runs)} push",
    }  # fmt: skip


def visit_item(
    external_id: str, contact: Contact, *, link: int, started_at: datetime, ended: bool = False
) -> dict:
    """A visit as the host posts it: by one known contact, of one of the bench's links."""
    now = timezone.now()
    seconds = int((now - started_at).total_seconds())
    return {
        "external_id": external_id, "link_id": f"link-{link}",
        "visitor_email": contact.email,
        "visitor_name": f"{contact.first_name} {contact.last_name}".strip(),
        "company": link_account(link), "started_at": started_at, "last_activity_at": now,
        "duration_seconds": seconds, "percent_viewed": float(min(100, seconds)),
        "statistics_url": f"https://docs.example.com/stats/{external_id}", "ended": ended,
    }  # fmt: skip


def link_account(index: int) -> str:
    return f"Bench Prospect {index}"


def _link_item(index: int) -> dict:
    return {
        "external_id": f"link-{index}", "kind": "document", "name": f"Proposal {index}",
        "url": f"https://docs.example.com/d/{index}", "account_name": link_account(index),
        "internal_url": f"https://docs.example.com/links/{index}/edit",
        "external_url": f"https://docs.example.com/v/{index}", "owner_email": LINK_OWNER,
        "created_at": timezone.now(),
    }  # fmt: skip


def _fresh(emulator: EmulatorProcess) -> None:
    emulator.control("POST", "reset")
    for model in (Visit, Activity, Link, Document, Room, Contact, SyncEvent, SyncCursor):
        model.objects.all().delete()

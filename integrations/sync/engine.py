"""One sync cycle: inbound (Salesforce → here) first, then outbound (here → Salesforce).

Inbound goes first so that a field changed on both sides is decided once, by its rule,
before anything is sent; outbound then sends only what still differs.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from integrations import conf
from integrations.models import SyncRun, SyncSettings
from integrations.salesforce.client import SalesforceClient
from integrations.sync import inbound, outbound
from integrations.sync.history import Recorder
from integrations.sync.lease import lease_renew
from tracking.models import Company, Contact


class Progress:
    """Moves a run's progress bar and keeps its lease alive, one batch at a time."""

    def __init__(self, run: SyncRun, holder: str, client: SalesforceClient):
        self.run, self.holder, self.client = run, holder, client

    def phase(self, name: str) -> None:
        self.run.phase = name
        self._save()

    def advance(self, amount: int) -> None:
        self.run.done += amount
        self.run.total = max(self.run.total, self.run.done)
        lease_renew(holder=self.holder)
        self._save()

    def _save(self) -> None:
        self.run.heartbeat_at = timezone.now()
        self.run.api_calls = self.client.calls
        self.run.save(update_fields=["phase", "done", "total", "heartbeat_at", "api_calls"])


def sync_cycle(*, run: SyncRun, client: SalesforceClient, holder: str, recorder: Recorder) -> None:
    """Run every enabled phase, recording events and counts in `recorder`."""
    settings = SyncSettings.load()
    # Allow for clock skew between this server and Salesforce.
    read_since = timezone.now() - timedelta(seconds=conf.get("SYNC_CLOCK_SKEW_SECONDS"))
    progress = Progress(run, holder, client)
    run.total = outbound.pending(Contact).count() + (
        outbound.pending(Company).count() if settings.account_sync else 0
    )
    for sobject in inbound.objects_to_read(settings):
        progress.phase(f"Reading {sobject}s from Salesforce")
        inbound.read_object(
            client=client,
            settings=settings,
            sobject=sobject,
            recorder=recorder,
            advance=progress.advance,
        )
    if settings.account_sync:
        progress.phase("Sending companies to Salesforce")
        outbound.companies_outbound(
            client=client,
            settings=settings,
            recorder=recorder,
            advance=progress.advance,
            read_since=read_since,
        )
    progress.phase("Sending contacts to Salesforce")
    outbound.contacts_outbound(
        client=client,
        settings=settings,
        recorder=recorder,
        advance=progress.advance,
        read_since=read_since,
    )
    recorder.flush()

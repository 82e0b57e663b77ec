"""One sync cycle's context, handed to every handler instead of a row of arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from integrations import conf
from integrations.models import SyncRun, SyncSettings
from integrations.salesforce.client import SalesforceClient
from integrations.sync.lease import NAME, LeaseLostError, lease_renew
from integrations.sync.recorder import Recorder


@dataclass
class Cycle:
    """What one cycle works with: the settings read at its start, the client, the recorder of
    its events, its run row (None when a handler is driven on its own) and the lease holder.

    `read_since` is when this cycle started reading Salesforce, less the allowed clock skew:
    a Salesforce change after it is one the cycle has not seen (see `push.defer_changed`).
    """

    settings: SyncSettings
    client: SalesforceClient
    recorder: Recorder
    run: SyncRun | None = None
    holder: str = ""
    lease: str = NAME  # the lease `holder` holds
    now: datetime = field(default_factory=timezone.now)
    read_since: datetime | None = None
    # Lookups the handlers of one cycle share, by name (e.g. Salesforce users by email), so
    # the second handler asking does not ask Salesforce again.
    shared: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.read_since is None:
            skew = timedelta(seconds=conf.get("SYNC_CLOCK_SKEW_SECONDS"))
            self.read_since = self.now - skew

    def shared_one(self, name: str, make):
        """The cycle's one `name`, made from its client the first time it is asked for."""
        if name not in self.shared:
            self.shared[name] = make(self.client)
        return self.shared[name]

    def begin(self, *, total: int) -> None:
        """The cycle starts with `total` local records waiting to go out."""
        if self.run is not None:
            self.run.progress(api_calls=self.client.calls, total=total)

    def phase(self, name: str) -> None:
        """Show what the cycle does now."""
        if self.run is not None:
            self.run.progress(api_calls=self.client.calls, phase=name)

    def advance(self, amount: int) -> None:
        """A batch is done: move the bar and keep the lease and the heartbeat alive; stop
        (LeaseLostError) when another run took the lease over meanwhile."""
        if self.holder and not lease_renew(holder=self.holder, name=self.lease):
            raise LeaseLostError(f"The sync lease of {self.holder} was taken over.")
        if self.run is not None:
            self.run.progress(api_calls=self.client.calls, advance=amount)

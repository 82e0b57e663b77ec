"""One sync cycle's context, handed to every handler instead of a row of arguments.

Every write a handler makes goes through the cycle: local ones through `store`, Salesforce
ones through `save`. A preview cycle (`preview` set) has the preview's store and answers
`save` from the preview's foresight instead of Salesforce, so the handlers' matching and
planning run unchanged while nothing is written on either side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from integrations import conf
from integrations.models import InclusionRule, SyncRun, SyncSettings
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.results import RecordResult
from integrations.sync.lease import NAME, LeaseLostError, lease_renew
from integrations.sync.maps import field_maps
from integrations.sync.recorder import Recorder
from integrations.sync.rules.fields import FieldMap
from integrations.sync.store import LocalStore

if TYPE_CHECKING:
    from integrations.sync.preview.collector import Preview


@dataclass
class Cycle:
    """What one cycle works with: the settings read at its start, the client, the recorder of
    its events, its run row (None when a handler is driven on its own) and the lease holder;
    `preview` when the cycle is a preview (it writes nothing, and its run row is None).

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
    preview: Preview | None = None
    store: LocalStore = field(default_factory=LocalStore)

    def __post_init__(self) -> None:
        if self.read_since is None:
            skew = timedelta(seconds=conf.get("SYNC_CLOCK_SKEW_SECONDS"))
            self.read_since = self.now - skew
        if self.preview is not None:
            self.store = self.preview.store

    def save(
        self,
        operation: str,
        sobject: str,
        records: Sequence[dict],
        *,
        external_id_field: str | None = None,
    ) -> list[RecordResult]:
        """Write to Salesforce (`SalesforceClient.save`); a preview foresees the answers."""
        if self.preview is not None:
            return self.preview.save(operation, sobject, records)
        return self.client.save(operation, sobject, records, external_id_field=external_id_field)

    def field_maps(self, sobject: str) -> list[FieldMap]:
        """The object's active field mappings: the saved ones, or those a preview of
        unsaved settings proposes."""
        proposed = self.preview.mappings if self.preview is not None else None
        return field_maps(
            sobject, picklists=self.settings.state_country_picklists, mappings=proposed
        )

    def inclusion_rules(self) -> list[InclusionRule]:
        """The inclusion list's rules: the saved ones, or those a preview proposes."""
        if self.preview is not None and self.preview.rules is not None:
            return self.preview.rules
        return list(self.settings.rules.all())

    def shared_one(self, name: str, make):
        """The cycle's one `name`, made from its client the first time it is asked for."""
        if name not in self.shared:
            self.shared[name] = make(self.client)
        return self.shared[name]

    def begin(self, *, total: int) -> None:
        """The cycle starts with `total` local records waiting to go out."""
        if self._progress is not None:
            self._progress.progress(api_calls=self.client.calls, total=total)

    def phase(self, name: str) -> None:
        """Show what the cycle does now."""
        if self._progress is not None:
            self._progress.progress(api_calls=self.client.calls, phase=name)

    def advance(self, amount: int) -> None:
        """A batch is done: move the bar and keep the lease and the heartbeat alive; stop
        (LeaseLostError) when another run took the lease over meanwhile."""
        if self.holder and not lease_renew(holder=self.holder, name=self.lease):
            raise LeaseLostError(f"The sync lease of {self.holder} was taken over.")
        if self._progress is not None:
            self._progress.progress(api_calls=self.client.calls, advance=amount)

    @property
    def _progress(self):
        """What moves the progress bar: the run, or the preview (its report row)."""
        return self.preview if self.preview is not None else self.run

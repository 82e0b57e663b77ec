"""The interface every Salesforce object's handler has.

A handler owns one Salesforce object (or a family, like Leads and Contacts) in both
directions: which objects it reads and writes, whether the settings enable it, `pull` (apply
Salesforce's changes here) and `push` (send local changes there). The engine walks the
handler table and knows nothing else about any object.
"""

from __future__ import annotations

from integrations.models import SyncSettings
from integrations.sync import pull
from integrations.sync.cycle import Cycle
from integrations.sync.rules.fields import FieldMap


class Handler:
    reads: tuple[str, ...] = ()  # Salesforce objects pulled, in this order
    writes: tuple[str, ...] = ()  # Salesforce objects pushed to
    # Per object read: the fields every pull selects besides the mapped ones.
    base_fields: dict[str, list[str]] = {}
    push_phase = ""  # what the progress bar says while pushing

    def enabled(self, settings: SyncSettings) -> bool:
        return True

    def waiting(self) -> int:
        """How many local records wait to be pushed (the progress bar's total)."""
        return 0

    def pull(self, cycle: Cycle) -> None:
        """Apply every change Salesforce has for each object read, batch by batch."""
        for sobject in self.reads:
            cycle.phase(f"Reading {sobject}s from Salesforce")
            pull.pull_changes(cycle, sobject, self.base_fields[sobject], apply=self.apply)

    def apply(self, cycle: Cycle, sobject: str, rows: list[dict], maps: list[FieldMap]) -> None:
        """Apply one batch of changed rows of `sobject` to the local records."""
        raise NotImplementedError

    def push(self, cycle: Cycle) -> None:
        """Send what changed here; handlers that write override this."""

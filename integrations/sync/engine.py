"""One sync cycle: walks the handler table, pulling for every enabled handler, then pushing.

Every handler pulls before any pushes, so a field changed on both sides is decided once, by
its rule, before anything is sent, and each push sends only what still differs; a push's
check for changes made in Salesforce meanwhile relies on every pull being done. Between the
two, the deletions the pulls decided are settled at once (held by the mass-delete brake or
moved into quarantine). A preview walks the same table with a preview cycle (`cycle_walk`).
"""

from __future__ import annotations

from integrations.models import SyncRun, SyncSettings
from integrations.salesforce.client import SalesforceClient
from integrations.sync.cycle import Cycle
from integrations.sync.handlers import enabled_handlers
from integrations.sync.lease import ACTIVITIES, NAME
from integrations.sync.recorder import Recorder
from integrations.sync.safe_deletes import deletions_settle


def sync_cycle(
    *, run: SyncRun, client: SalesforceClient, holder: str, recorder: Recorder, lease: str = NAME
) -> None:
    """Run every enabled handler, recording events and counts in `recorder`; with the
    activities lease (the activities lane), only the activity handlers."""
    cycle = Cycle(settings=SyncSettings.load(), client=client, recorder=recorder, run=run,
                  holder=holder, lease=lease)  # fmt: skip
    cycle_walk(cycle, activities_only=lease == ACTIVITIES)


def cycle_walk(cycle: Cycle, *, activities_only: bool = False) -> None:
    """Pull for every handler the cycle's settings enable, then push for each."""
    handlers = enabled_handlers(cycle.settings, activities_only=activities_only)
    cycle.begin(total=sum(handler.waiting() for handler in handlers))
    for handler in handlers:
        handler.pull(cycle)
    if not activities_only:
        deletions_settle(cycle)  # after every pull: the brake sees the cycle's deletions
    for handler in handlers:
        if handler.writes:
            cycle.phase(handler.push_phase)
            handler.push(cycle)
    cycle.recorder.flush()

"""One sync cycle: walks the handler table, pulling for every enabled handler, then pushing.

Every handler pulls before any pushes, so a field changed on both sides is decided once, by
its rule, before anything is sent, and each push sends only what still differs; a push's
check for changes made in Salesforce meanwhile relies on every pull being done.
"""

from __future__ import annotations

from integrations.models import SyncRun, SyncSettings
from integrations.salesforce.client import SalesforceClient
from integrations.sync.cycle import Cycle
from integrations.sync.handlers import enabled_handlers
from integrations.sync.recorder import Recorder


def sync_cycle(*, run: SyncRun, client: SalesforceClient, holder: str, recorder: Recorder) -> None:
    """Run every enabled handler, recording events and counts in `recorder`."""
    cycle = Cycle(
        settings=SyncSettings.load(), client=client, recorder=recorder, run=run, holder=holder
    )
    handlers = enabled_handlers(cycle.settings)
    cycle.begin(total=sum(handler.waiting() for handler in handlers))
    for handler in handlers:
        handler.pull(cycle)
    for handler in handlers:
        if handler.writes:
            cycle.phase(handler.push_phase)
            handler.push(cycle)
    recorder.flush()

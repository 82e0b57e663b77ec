"""The handler table: every Salesforce object the sync knows, in the order a cycle takes them.

Accounts come first, so a contact's company exists before its people arrive; Leads before
Contacts (inside the people handler), so a conversion re-links a contact before its Contact
arrives; Opportunities after them, so their contact roles find the contacts; then the
pipeline import (the Accounts and Contacts of seat holders' open Opportunities, whatever the
creation toggles say), which links the opportunities just mirrored to what it imported. The
activity handlers (Tasks and notes) come last: by then the cycle has linked every Contact,
Lead and Account it read or created, so waiting activities find them (replay). A new
Salesforce object is one new handler module and one line here.
"""

from __future__ import annotations

from integrations.models import SyncSettings
from integrations.sync.handlers.accounts import AccountHandler
from integrations.sync.handlers.base import Handler
from integrations.sync.handlers.links import LinkHandler
from integrations.sync.handlers.opportunities import OpportunityHandler
from integrations.sync.handlers.people import PeopleHandler
from integrations.sync.handlers.pipeline import PipelineHandler
from integrations.sync.handlers.visits import VisitHandler
from integrations.sync.handlers.write_back import WriteBackHandler

ACTIVITY_HANDLERS: tuple[Handler, ...] = (LinkHandler(), VisitHandler(), WriteBackHandler())
HANDLERS: tuple[Handler, ...] = (
    AccountHandler(),
    PeopleHandler(),
    OpportunityHandler(),
    PipelineHandler(),
    *ACTIVITY_HANDLERS,
)


def enabled_handlers(settings: SyncSettings, *, activities_only: bool = False) -> list[Handler]:
    """The handlers a cycle runs; the activities lane runs only the activity handlers."""
    table = ACTIVITY_HANDLERS if activities_only else HANDLERS
    return [handler for handler in table if handler.enabled(settings)]

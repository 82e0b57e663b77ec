"""The handler table: every Salesforce object the sync knows, in the order a cycle takes them.

Accounts come first, so a contact's company exists before its people arrive; Leads before
Contacts (inside the people handler), so a conversion re-links a contact before its Contact
arrives; Opportunities last, so their contact roles find the contacts. A new Salesforce
object is one new handler module and one line here.
"""

from __future__ import annotations

from integrations.models import SyncSettings
from integrations.sync.handlers.accounts import AccountHandler
from integrations.sync.handlers.base import Handler
from integrations.sync.handlers.opportunities import OpportunityHandler
from integrations.sync.handlers.people import PeopleHandler

HANDLERS: tuple[Handler, ...] = (
    AccountHandler(),
    PeopleHandler(),
    OpportunityHandler(),
)


def enabled_handlers(settings: SyncSettings) -> list[Handler]:
    return [handler for handler in HANDLERS if handler.enabled(settings)]

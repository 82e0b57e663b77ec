"""The org's schema: every emulated object, put together from `objects.py` and `content.py`."""

from .content import content_document_link, content_note
from .objects import (
    account,
    contact,
    lead,
    note,
    opportunity,
    opportunity_contact_role,
    opportunity_stage,
    organization,
    task,
    user,
)
from .schema import Schema


def build_schema(*, state_country_picklists: bool) -> Schema:
    return Schema([
        organization(), user(), account(state_country_picklists),
        contact(state_country_picklists), lead(state_country_picklists), opportunity(),
        opportunity_contact_role(), opportunity_stage(), task(), note(), content_note(),
        content_document_link(),
    ])  # fmt: skip

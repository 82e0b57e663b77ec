"""What a deletion in Salesforce does to the linked local record (the deletion policies)."""

from __future__ import annotations

from tracking.choices import SalesforceObject

PEOPLE = frozenset(SalesforceObject.values)


def deletes_locally(settings, sobject: str) -> bool:
    """Whether the local record goes too, or stays, unlinked and marked; companies stay."""
    if sobject == SalesforceObject.LEAD:
        return settings.delete_on_lead_deleted
    if sobject == SalesforceObject.CONTACT:
        return settings.delete_on_contact_deleted
    return False


def deletion_message(sobject: str, *, deleted: bool) -> str:
    """The history's explanation of what the deletion did here."""
    if sobject not in PEOPLE:
        outcome = "the link was removed."
    elif deleted:
        outcome = "the contact was deleted here too."
    else:
        outcome = "the contact was unlinked."
    return f"The {sobject} was deleted in Salesforce; {outcome}"

"""What a deletion in Salesforce does to the linked local record (pure)."""

from types import SimpleNamespace

import pytest

from integrations.sync.rules.deletion import deletes_locally, deletion_message


def policies(*, lead: bool, contact: bool) -> SimpleNamespace:
    """The two deletion settings, as SyncSettings carries them."""
    return SimpleNamespace(delete_on_lead_deleted=lead, delete_on_contact_deleted=contact)


@pytest.mark.parametrize("setting", [True, False])
def test_deleted_lead_follows_the_lead_setting_only(setting):
    assert deletes_locally(policies(lead=setting, contact=not setting), "Lead") is setting


@pytest.mark.parametrize("setting", [True, False])
def test_deleted_contact_follows_the_contact_setting_only(setting):
    assert deletes_locally(policies(lead=not setting, contact=setting), "Contact") is setting


@pytest.mark.parametrize("sobject", ["Account", "Opportunity", "Task"])
def test_other_records_are_never_deleted_locally(sobject):
    assert deletes_locally(policies(lead=True, contact=True), sobject) is False


@pytest.mark.parametrize(
    ("sobject", "deleted", "message"),
    [
        ("Lead", True, "The Lead was deleted in Salesforce; the contact was deleted here too."),
        ("Lead", False, "The Lead was deleted in Salesforce; the contact was unlinked."),
        (
            "Contact",
            True,
            "The Contact was deleted in Salesforce; the contact was deleted here too.",
        ),
        ("Contact", False, "The Contact was deleted in Salesforce; the contact was unlinked."),
        ("Account", False, "The Account was deleted in Salesforce; the link was removed."),
        ("Account", True, "The Account was deleted in Salesforce; the link was removed."),
    ],
)
def test_deletion_message_says_what_happened_here(sobject, deleted, message):
    assert deletion_message(sobject, deleted=deleted) == message

"""The emulated org's Case: a number of its own, IsClosed from its status, the contact's email
through the Contact relationship."""

import pytest

from integrations.emulator.errors import ApiError

pytestmark = pytest.mark.django_db


def test_closing_a_case_sets_is_closed_and_the_contact_is_queryable(sf_client, emulator):
    contact_id = emulator.store.insert("Contact", {"LastName": "Ada", "Email": "ada@example.com"})
    case_id = emulator.store.insert("Case", {"Subject": "Printer", "ContactId": contact_id})

    emulator.store.update("Case", case_id, {"Status": "Closed"})

    rows = list(sf_client.query(
        f"SELECT CaseNumber, IsClosed, Status, Contact.Email FROM Case WHERE Id = '{case_id}'"
    ))  # fmt: skip
    assert rows[0]["IsClosed"] is True
    assert rows[0]["Status"] == "Closed"
    assert rows[0]["Contact"]["Email"] == "ada@example.com"
    assert rows[0]["CaseNumber"].isdigit()


def test_case_numbers_differ_and_status_is_restricted(emulator):
    first = emulator.store.insert("Case", {"Subject": "One"})
    second = emulator.store.insert("Case", {"Subject": "Two"})
    assert (
        emulator.store.get("Case", first)["CaseNumber"]
        != emulator.store.get("Case", second)["CaseNumber"]
    )
    with pytest.raises(ApiError):
        emulator.store.insert("Case", {"Subject": "Three", "Status": "Solved"})

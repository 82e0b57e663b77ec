"""`salesforce_test_writeback`: the test records with their "View in CRM" links, and
`--cleanup`; failures exit non-zero with the reason and a hint."""

import io

import pytest
from django.core.management import CommandError, call_command

from integrations.models import WriteBackTest

pytestmark = pytest.mark.django_db

SAM = "sam.seller@crmbridge-emulator.example"


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("salesforce_test_writeback", *args, stdout=out)
    return out.getvalue().splitlines()


def test_prints_each_record_with_its_view_in_crm_link(connection, emulator):
    lines = run("--owner-email", SAM)

    test = WriteBackTest.objects.get()
    expected = [
        (label, test.salesforce_ids[kind])
        for label, kind in [("Contact", "contact"), ("InMail", "inmail"),
                            ("Message", "message"), ("Call", "call"), ("Note", "note")]
    ]  # fmt: skip
    assert lines[:5] == [
        f"{label:<8} {record_id}  View in CRM: {emulator.url}/{record_id}"
        for label, record_id in expected
    ]
    assert lines[5] == f"Owned by the Salesforce user with the email {SAM}."
    assert "--cleanup" in lines[6]
    assert emulator.store.count("Task") == 3


def test_cleanup_deletes_the_test_records_and_says_how_many(connection, emulator):
    run()
    run()

    assert run("--cleanup") == ["Deleted 10 test records."]
    assert emulator.store.count("Contact") == emulator.store.count("ContentNote") == 0
    assert run("--cleanup") == ["Deleted 0 test records."]


def test_not_connected_exits_with_the_reason_and_a_hint(db):
    with pytest.raises(CommandError) as raised:
        run()

    reason, hint, left_over = str(raised.value).splitlines()
    assert reason == "NOT_CONNECTED: No Salesforce org is connected."
    assert hint == "Hint: No Salesforce org is connected. Connect one on the connection page."
    assert "--cleanup" in left_over


def test_a_refused_clean_up_exits_with_the_reason_and_a_hint(connection, emulator):
    run()
    emulator.faults.inject("lock", times=5, path_contains="composite/sobjects", method="DELETE",
                           records=5)  # fmt: skip

    with pytest.raises(CommandError) as raised:
        run("--cleanup")

    reason, hint = str(raised.value).splitlines()
    assert reason.startswith("UNABLE_TO_LOCK_ROW: Salesforce refused the deletion")
    assert hint.startswith("Hint: Another process in Salesforce")


def test_an_owner_email_that_is_no_email_is_refused(db):
    with pytest.raises(CommandError, match="--owner-email: Enter a valid email address."):
        run("--owner-email", "sam at example")

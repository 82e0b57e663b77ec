"""Test write-back against the emulated org: the test Contact with one Task of every kind and a
note, written as the write-back writes them; the clean-up, and what a failure leaves to it."""

import base64

import pytest
from django.core.exceptions import ValidationError

from integrations.emulator.records.org import INTEGRATION_USER_ID, SALES_REP_IDS
from integrations.exceptions import (
    ConfigurationError,
    PermanentError,
    RateLimitedError,
    TransientError,
)
from integrations.models import ApiUsageHour, SalesforceConnection, WriteBackTest
from integrations.services.writeback_tests import writeback_test_cleanup, writeback_test_create

pytestmark = pytest.mark.django_db

SAM = "sam.seller@crmbridge-emulator.example"
IAN = "ian.inactive@crmbridge-emulator.example"
SAM_ID = SALES_REP_IDS[0]
TEST_OBJECTS = ("Contact", "Task", "ContentNote", "ContentDocumentLink")


class Crash(Exception):
    """The process dies here."""


def live(emulator) -> dict[str, int]:
    return {sobject: emulator.store.count(sobject) for sobject in TEST_OBJECTS}


def test_a_contact_gets_a_task_of_every_kind_and_a_note_owned_by_the_owner(connection, emulator):
    test = writeback_test_create(owner_email=SAM)

    (contact,) = emulator.store.all("Contact")
    tasks = {f"{row['TaskSubtype']} {row['Subject']}": row for row in emulator.store.all("Task")}
    (note,) = emulator.store.all("ContentNote")
    (link,) = emulator.store.all("ContentDocumentLink")
    assert (contact["FirstName"], contact["LastName"]) == ("CRM Bridge", "Write-back test")
    assert contact["Email"] == f"crmbridge-writeback-test+{test.pk}@example.com"
    assert "safe to delete" in contact["Description"]
    assert sorted(tasks) == [
        "Call Call: CRM Bridge write-back test",
        "Email InMail: CRM Bridge write-back test",
        "Email Message: CRM Bridge write-back test",
    ]
    for task in tasks.values():
        assert (task["Status"], task["WhoId"], task["OwnerId"]) == ("Completed", contact["Id"],
                                                                    SAM_ID)  # fmt: skip
        assert task["CreatedById"] == INTEGRATION_USER_ID
    call = tasks["Call Call: CRM Bridge write-back test"]
    assert (call["Type"], call["CallDurationInSeconds"]) == ("Call", 60)
    assert tasks["Email InMail: CRM Bridge write-back test"]["CallDurationInSeconds"] is None
    assert contact["OwnerId"] == SAM_ID
    assert note["Title"] == f"CRM Bridge write-back test note {test.pk}"
    assert base64.b64decode(note["Content"]).decode() == (
        "A test note written by CRM Bridge&#39;s “Test write-back”.<br>Safe to delete: “Clean up” "
        "removes it with the test Contact &amp; its Tasks."
    )
    assert (link["ContentDocumentId"], link["LinkedEntityId"], link["ShareType"]) == (
        note["Id"], contact["Id"], "V")  # fmt: skip
    assert test.owner_message == f"Owned by the Salesforce user with the email {SAM}."


def test_each_record_has_its_view_in_crm_link(connection, emulator):
    test = writeback_test_create()

    records = test.records()

    assert [record.label for record in records] == ["Contact", "InMail", "Message", "Call", "Note"]
    for record in records:
        assert record.url == f"{connection.instance_url}/{record.salesforce_id}"
    assert {record.salesforce_id for record in records} == {
        row["Id"] for sobject in TEST_OBJECTS[:3] for row in emulator.store.all(sobject)
    }
    test.refresh_from_db()
    assert test.salesforce_ids["note_link"] == emulator.store.all("ContentDocumentLink")[0]["Id"]


@pytest.mark.parametrize("email", [IAN, "nobody@example.com"])
def test_without_an_active_user_the_integration_user_owns_them_and_the_test_says_so(
    connection, emulator, email
):
    test = writeback_test_create(owner_email=email)

    owners = {row["OwnerId"] for sobject in ("Contact", "Task")
              for row in emulator.store.all(sobject)}  # fmt: skip
    assert owners == {INTEGRATION_USER_ID}
    assert test.owner_message == (
        f"{email} has no active Salesforce user: the integration user owns the test records."
    )


def test_clean_up_deletes_everything_and_a_second_clean_up_does_nothing(connection, emulator):
    writeback_test_create(owner_email=SAM)
    writeback_test_create()
    emulator.reset_stats()

    deleted = writeback_test_cleanup()

    assert deleted == 10
    assert live(emulator) == dict.fromkeys(TEST_OBJECTS, 0)
    assert not WriteBackTest.objects.filter(cleaned_at__isnull=True).exists()
    assert emulator.api_calls == 1  # one sObject Collections delete for both tests
    assert writeback_test_cleanup() == 0
    assert emulator.api_calls == 1


def test_records_deleted_in_salesforce_already_count_as_cleaned(connection, emulator):
    test = writeback_test_create()
    emulator.store.delete("Contact", test.salesforce_ids["contact"])  # its Tasks go with it

    deleted = writeback_test_cleanup()

    test.refresh_from_db()
    assert deleted == 1  # the note
    assert test.cleaned_at is not None
    assert live(emulator) == dict.fromkeys(TEST_OBJECTS, 0)


def test_a_limit_midway_leaves_the_contact_recorded_for_the_clean_up(connection, emulator):
    # given: the app's cap allows one more call, the Contact's create
    connection.api_cap_calls = ApiUsageHour.calls_in_last_24h() + 1
    connection.save()

    with pytest.raises(RateLimitedError) as raised:
        writeback_test_create()

    test = WriteBackTest.objects.get()
    assert raised.value.code == "API_CAP_REACHED"
    assert (test.error, test.hint) == (str(raised.value), raised.value.hint)
    assert list(test.salesforce_ids) == ["contact"]
    assert live(emulator)["Contact"] == 1
    # when: the cap is lifted
    connection = SalesforceConnection.load()
    connection.api_cap_calls = None
    connection.save()
    connection.resume()
    # then
    assert writeback_test_cleanup() == 1
    assert live(emulator) == dict.fromkeys(TEST_OBJECTS, 0)


def test_a_refused_create_says_why_and_leaves_nothing(connection, emulator):
    emulator.faults.inject("lock", times=5, path_contains="composite/sobjects", method="POST")

    with pytest.raises(PermanentError) as raised:
        writeback_test_create()

    test = WriteBackTest.objects.get()
    assert raised.value.code == "UNABLE_TO_LOCK_ROW"
    assert str(raised.value).startswith("UNABLE_TO_LOCK_ROW: Salesforce refused the test Contact")
    assert raised.value.hint
    assert test.salesforce_ids == {}
    assert writeback_test_cleanup() == 0
    test.refresh_from_db()
    assert test.cleaned_at is not None


def test_a_contact_whose_answer_was_lost_is_found_by_its_email(connection, emulator):
    emulator.faults.inject("disconnect_after_apply", path_contains="composite/sobjects")

    with pytest.raises(TransientError):
        writeback_test_create()

    assert WriteBackTest.objects.get().salesforce_ids == {"contact": ""}
    assert live(emulator)["Contact"] == 1
    assert writeback_test_cleanup() == 1
    assert live(emulator)["Contact"] == 0


def test_a_note_whose_answer_was_lost_is_found_by_its_title(connection, emulator, monkeypatch):
    real = WriteBackTest.remember

    def remember(self, ids, *, forget=()):
        if ids.get("note"):
            raise Crash  # Salesforce made the note; we die before noting its id
        real(self, ids, forget=forget)

    monkeypatch.setattr(WriteBackTest, "remember", remember)
    with pytest.raises(Crash):
        writeback_test_create()
    monkeypatch.undo()

    assert WriteBackTest.objects.get().salesforce_ids["note"] == ""
    assert writeback_test_cleanup() == 5
    assert live(emulator) == dict.fromkeys(TEST_OBJECTS, 0)


def test_not_connected_is_an_error_with_a_hint(db):
    with pytest.raises(ConfigurationError) as raised:
        writeback_test_create()

    assert raised.value.code == "NOT_CONNECTED"
    assert raised.value.hint
    assert not WriteBackTest.objects.exists()


def test_a_refused_deletion_leaves_its_test_open(connection, emulator):
    test = writeback_test_create()
    emulator.faults.inject("lock", times=5, path_contains="composite/sobjects", method="DELETE",
                           records=5)  # fmt: skip

    with pytest.raises(PermanentError) as raised:
        writeback_test_cleanup()

    test.refresh_from_db()
    assert raised.value.code == "UNABLE_TO_LOCK_ROW"
    assert test.cleaned_at is None
    assert writeback_test_cleanup() == 5


def test_an_owner_email_must_be_an_email(db):
    with pytest.raises(ValidationError):
        writeback_test_create(owner_email="not an email")

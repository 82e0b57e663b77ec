"""sobjects/{Obj}/updated/ and deleted/: the replication windows Salesforce allows."""

from datetime import UTC, datetime, timedelta

from integrations.emulator.records.values import format_datetime


def _window(days_back=1, minutes_ahead=1):
    now = datetime.now(UTC)
    start = now - timedelta(days=days_back)
    return {
        "start": format_datetime(start),
        "end": format_datetime(now + timedelta(minutes=minutes_ahead)),
    }


def test_updated_lists_records_changed_in_the_window(api):
    store = api.emulator.store
    changed = store.insert("Account", {"Name": "Changed"})
    deleted = store.insert("Account", {"Name": "Deleted"})
    store.delete("Account", deleted)

    body = api.get("sobjects/Account/updated/", params=_window()).json()

    assert body["ids"] == [changed]
    assert body["latestDateCovered"].endswith("+0000")


def test_deleted_lists_recycle_bin_entries(api):
    store = api.emulator.store
    account_id = store.insert("Account", {"Name": "Doomed"})
    contact_id = store.insert("Contact", {"LastName": "Cascade", "AccountId": account_id})
    store.delete("Account", account_id)

    accounts = api.get("sobjects/Account/deleted/", params=_window()).json()
    contacts = api.get("sobjects/Contact/deleted/", params=_window()).json()

    assert [entry["id"] for entry in accounts["deletedRecords"]] == [account_id]
    assert [entry["id"] for entry in contacts["deletedRecords"]] == [contact_id]
    assert "earliestDateAvailable" in accounts


def test_windows_too_far_back_are_refused(api):
    updated = api.get("sobjects/Account/updated/", params=_window(days_back=31))
    deleted = api.get("sobjects/Account/deleted/", params=_window(days_back=16))

    assert updated.json()[0]["errorCode"] == "INVALID_REPLICATION_DATE"
    assert deleted.json()[0]["errorCode"] == "INVALID_REPLICATION_DATE"


def test_start_must_precede_end_by_more_than_a_minute(api):
    now = datetime.now(UTC)
    params = {"start": format_datetime(now), "end": format_datetime(now + timedelta(seconds=30))}

    response = api.get("sobjects/Account/updated/", params=params)

    assert response.json()[0]["errorCode"] == "INVALID_REPLICATION_DATE"

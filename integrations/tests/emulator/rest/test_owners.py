"""Owners over HTTPS, as Salesforce answers them on every object CRM Bridge writes: an owner
must be an active User of the org; a missing user, another object's id or a malformed id is
refused on OwnerId. What the owner fallback of the sync relies on."""

import pytest

from integrations.emulator.records.ids import make_id
from integrations.emulator.records.org import INACTIVE_USER_ID, MANAGER_USER_ID

RECORDS = {
    "Lead": {"LastName": "Lee", "Company": "Leadco"},
    "Contact": {"LastName": "Cole"},
    "Account": {"Name": "Acme"},
    "Task": {"Subject": "Call"},
}
MISSING_USER = make_id("005", 999_999)


def _collection_error(response):
    (result,) = response.json()
    assert result["success"] is False
    (error,) = result["errors"]
    return error["statusCode"], error.get("fields", [])


def _insert(api, sobject, owner_id):
    record = {"attributes": {"type": sobject}, **RECORDS[sobject], "OwnerId": owner_id}
    body = {"allOrNone": False, "records": [record]}
    return api.post("composite/sobjects", json=body)


@pytest.mark.parametrize("sobject", RECORDS)
def test_an_inactive_owner_is_refused(api, sobject):
    response = _insert(api, sobject, INACTIVE_USER_ID)

    assert _collection_error(response) == ("INACTIVE_OWNER_OR_USER", ["OwnerId"])
    assert api.emulator.store.count(sobject) == 0


@pytest.mark.parametrize("sobject", RECORDS)
def test_an_owner_who_is_no_user_of_the_org_is_refused_on_owner_id(api, sobject):
    account_id = api.emulator.store.insert("Account", {"Name": "Owner Inc"})

    missing = _insert(api, sobject, MISSING_USER)
    not_a_user = _insert(api, sobject, account_id)
    malformed = _insert(api, sobject, "005nonsense")

    assert _collection_error(missing) == ("INVALID_CROSS_REFERENCE_KEY", ["OwnerId"])
    assert _collection_error(not_a_user) == ("FIELD_INTEGRITY_EXCEPTION", ["OwnerId"])
    assert _collection_error(malformed) == ("MALFORMED_ID", ["OwnerId"])


def test_an_active_owner_is_taken_and_a_record_left_without_one_is_the_callers(api):
    owned = _insert(api, "Contact", MANAGER_USER_ID).json()[0]["id"]
    body = {"allOrNone": False, "records": [{"attributes": {"type": "Contact"}, "LastName": "Nix"}]}
    unowned = api.post("composite/sobjects", json=body).json()[0]["id"]

    assert api.emulator.store.record(owned)["OwnerId"] == MANAGER_USER_ID
    assert api.emulator.store.record(unowned)["OwnerId"] == api.emulator.integration_user_id

"""The store as tests use it to act "as another Salesforce user"."""

import pytest

from integrations.emulator.errors import ApiError
from integrations.emulator.records.store import Store


@pytest.fixture
def store():
    return Store()


def test_system_modstamp_never_goes_back_nor_ahead_of_the_clock(store):
    from datetime import UTC, datetime

    account_id = store.insert("Account", {"Name": "Acme"})
    stamps = [store.get("Account", account_id)["SystemModstamp"]]
    for n in range(50):
        store.update("Account", account_id, {"Description": str(n)})
        stamps.append(store.get("Account", account_id)["SystemModstamp"])

    assert stamps == sorted(stamps)
    assert stamps[-1] <= datetime.now(UTC)
    assert all(stamp.microsecond % 1000 == 0 for stamp in stamps)


def test_writes_record_who_made_them(store):
    contact_id = store.insert("Contact", {"LastName": "Rep-made"})
    store.update("Contact", contact_id, {"Title": "Changed"}, user_id=store.integration_user_id)
    contact = store.get("Contact", contact_id)

    assert contact["CreatedById"] == store.default_user_id
    assert contact["OwnerId"] == store.default_user_id
    assert contact["LastModifiedById"] == store.integration_user_id
    assert contact["LastModifiedDate"] >= contact["CreatedDate"]


def test_store_writes_are_validated_like_the_api(store):
    with pytest.raises(ApiError) as raised:
        store.insert("Contact", {"LastName": "X", "Email": "nope"})

    assert raised.value.error_code == "INVALID_EMAIL_ADDRESS"


def test_opportunity_stage_sets_closed_won_and_probability(store):
    account_id = store.insert("Account", {"Name": "Acme"})
    opportunity_id = store.insert("Opportunity", {"Name": "Deal", "AccountId": account_id,
                                                  "StageName": "Prospecting",
                                                  "CloseDate": "2030-01-31"})  # fmt: skip
    store.update("Opportunity", opportunity_id, {"StageName": "Closed Won"})
    deal = store.get("Opportunity", opportunity_id)

    assert (deal["IsClosed"], deal["IsWon"], deal["Probability"]) == (True, True, 100.0)


def test_convert_lead_creates_records_and_moves_activities(store):
    lead_id = store.insert("Lead", {"FirstName": "Lea", "LastName": "Lead", "Company": "Leadco",
                                    "Email": "lea@leadco.example", "City": "Berlin"})  # fmt: skip
    task_id = store.insert("Task", {"Subject": "Call Lea", "WhoId": lead_id})

    result = store.convert_lead(lead_id, create_opportunity=True)
    lead = store.get("Lead", lead_id)
    contact = store.get("Contact", result["contactId"])

    assert lead["IsConverted"] is True
    assert lead["Status"] == "Closed - Converted"
    assert lead["ConvertedContactId"] == result["contactId"]
    assert lead["ConvertedOpportunityId"] == result["opportunityId"]
    assert store.get("Account", result["accountId"])["Name"] == "Leadco"
    assert (contact["Email"], contact["MailingCity"], contact["AccountId"]) == (
        "lea@leadco.example", "Berlin", result["accountId"],
    )  # fmt: skip
    assert store.get("Task", task_id)["WhoId"] == result["contactId"]
    with pytest.raises(ApiError, match="already converted"):
        store.convert_lead(lead_id)


def test_converting_into_an_existing_contact(store):
    account_id = store.insert("Account", {"Name": "Existing"})
    contact_id = store.insert("Contact", {"LastName": "Known", "AccountId": account_id})
    lead_id = store.insert("Lead", {"LastName": "Known", "Company": "Existing"})

    result = store.convert_lead(lead_id, account_id=account_id, contact_id=contact_id)

    assert result == {"accountId": account_id, "contactId": contact_id, "opportunityId": None}
    assert store.count("Account") == 1


def test_deleting_an_account_cascades_and_undelete_restores(store):
    account_id = store.insert("Account", {"Name": "Parent"})
    contact_id = store.insert("Contact", {"LastName": "Child", "AccountId": account_id})

    store.delete("Account", account_id)
    in_bin = store.get("Contact", contact_id)["IsDeleted"]
    store.undelete("Account", account_id)

    assert in_bin is True
    assert store.get("Contact", contact_id)["IsDeleted"] is False
    assert store.deleted_entries() == []


def test_references_to_deleted_records_are_refused(store):
    account_id = store.insert("Account", {"Name": "Gone"})
    store.delete("Account", account_id)

    with pytest.raises(ApiError) as raised:
        store.insert("Contact", {"LastName": "X", "AccountId": account_id})

    assert raised.value.error_code == "ENTITY_IS_DELETED"


def test_hard_delete_and_purge_empty_the_recycle_bin(store):
    hard = store.insert("Account", {"Name": "Hard"})
    soft = store.insert("Account", {"Name": "Soft"})

    store.hard_delete("Account", hard)
    store.delete("Account", soft)
    store.purge_recycle_bin()

    assert store.get("Account", hard) is None
    assert store.get("Account", soft) is None
    assert store.all("Account", include_deleted=True) == []


def test_rollback_undoes_writes_in_an_atomic_block(store):
    kept = store.insert("Account", {"Name": "Kept"})
    with store.atomic():
        store.update("Account", kept, {"Name": "Renamed"})
        store.insert("Account", {"Name": "Temporary", "CRMBridge_Id__c": "t-1"})
        store.delete("Account", kept)
        store.rollback()

    assert store.get("Account", kept)["Name"] == "Kept"
    assert store.get("Account", kept)["IsDeleted"] is False
    assert store.count("Account") == 1
    assert store.insert("Account", {"Name": "Reuses", "CRMBridge_Id__c": "t-1"})


def test_reset_keeps_the_org_users_and_stages(store):
    store.insert("Account", {"Name": "Wiped"})

    store.reset()

    assert store.count("Account") == 0
    assert store.count("User") == 5
    assert store.count("OpportunityStage") == 10
    assert store.get("Organization", store.org_id)["Name"]

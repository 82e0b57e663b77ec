"""Merging Leads, Contacts and Accounts as Salesforce's merge() does: the victims go to the
recycle bin naming their master, what pointed at them is reparented, and bad requests are
refused with Salesforce's error codes."""

import base64

import pytest

from integrations.emulator.errors import ApiError
from integrations.emulator.records.store import Store


@pytest.fixture
def store():
    return Store()


def _note_link(store, record_id):
    content = base64.b64encode(b"<p>Met</p>").decode()
    note_id = store.insert("ContentNote", {"Title": "Visit", "Content": content})
    return store.insert("ContentDocumentLink", {
        "ContentDocumentId": note_id, "LinkedEntityId": record_id, "ShareType": "V",
    })  # fmt: skip


def test_contact_merge_deletes_the_victim_and_reparents_its_records(store):
    account_id = store.insert("Account", {"Name": "Acme"})
    master_id = store.insert("Contact", {"LastName": "Master", "AccountId": account_id})
    victim_id = store.insert("Contact", {"LastName": "Victim", "Title": "CTO"})
    task_id = store.insert("Task", {"Subject": "Call", "WhoId": victim_id})
    link_id = _note_link(store, victim_id)
    opportunity_id = store.insert("Opportunity", {"Name": "Deal", "AccountId": account_id,
                                                  "StageName": "Prospecting",
                                                  "CloseDate": "2030-01-31"})  # fmt: skip
    role_id = store.insert(
        "OpportunityContactRole", {"OpportunityId": opportunity_id, "ContactId": victim_id}
    )
    case_id = store.insert("Case", {"Subject": "Help", "ContactId": victim_id})
    before = store.get("Contact", master_id)["SystemModstamp"]

    result = store.merge("Contact", master_id, [victim_id], fields={"Title": "CTO"})

    victim, master = store.get("Contact", victim_id), store.get("Contact", master_id)
    assert (victim["IsDeleted"], victim["MasterRecordId"]) == (True, master_id)
    assert (master["IsDeleted"], master["MasterRecordId"], master["Title"]) == (False, None, "CTO")
    assert master["SystemModstamp"] >= victim["SystemModstamp"] >= before
    assert store.get("Task", task_id)["WhoId"] == master_id
    assert store.get("ContentDocumentLink", link_id)["LinkedEntityId"] == master_id
    assert store.get("OpportunityContactRole", role_id)["ContactId"] == master_id
    assert store.get("Case", case_id)["ContactId"] == master_id
    assert result["id"] == master_id
    assert result["mergedRecordIds"] == [victim_id]
    assert set(result["updatedRelatedIds"]) == {task_id, link_id, role_id, case_id}


def test_account_merge_moves_contacts_and_opportunities_and_keeps_them_live(store):
    master_id = store.insert("Account", {"Name": "Acme"})
    victims = [store.insert("Account", {"Name": f"Acme {n}"}) for n in (2, 3)]
    contact_id = store.insert("Contact", {"LastName": "Child", "AccountId": victims[0]})
    opportunity_id = store.insert("Opportunity", {"Name": "Deal", "AccountId": victims[1],
                                                  "StageName": "Prospecting",
                                                  "CloseDate": "2030-01-31"})  # fmt: skip
    task_id = store.insert("Task", {"Subject": "Visit", "WhatId": victims[1]})

    store.merge("Account", master_id, victims)

    contact, opportunity = (
        store.get("Contact", contact_id),
        store.get("Opportunity", opportunity_id),
    )
    assert (contact["AccountId"], contact["IsDeleted"]) == (master_id, False)
    assert (opportunity["AccountId"], opportunity["IsDeleted"]) == (master_id, False)
    assert store.get("Task", task_id)["WhatId"] == master_id
    assert [store.get("Account", v)["MasterRecordId"] for v in victims] == [master_id] * 2
    assert store.count("Account") == 1


def test_lead_merge_is_visible_to_query_all(store):
    master_id = store.insert("Lead", {"LastName": "Keep", "Company": "Co"})
    victim_id = store.insert("Lead", {"LastName": "Dup", "Company": "Co"})

    store.merge("Lead", master_id, [victim_id])

    _, live = store.query("SELECT Id FROM Lead", include_deleted=False)
    _, merged = store.query(
        "SELECT Id, MasterRecordId FROM Lead WHERE IsDeleted = true AND MasterRecordId != null",
        include_deleted=True,
    )
    assert [row["Id"] for row in live] == [master_id]
    assert [(row["Id"], row["MasterRecordId"]) for row in merged] == [(victim_id, master_id)]


def test_undeleting_a_merged_record_brings_it_back_alone(store):
    master_id = store.insert("Contact", {"LastName": "Master"})
    victim_id = store.insert("Contact", {"LastName": "Victim"})
    task_id = store.insert("Task", {"Subject": "Call", "WhoId": victim_id})
    store.merge("Contact", master_id, [victim_id])

    store.undelete("Contact", victim_id)

    restored = store.get("Contact", victim_id)
    assert restored["IsDeleted"] is False
    assert restored.get("MasterRecordId") is None  # Salesforce clears it on undelete
    assert store.get("Task", task_id)["WhoId"] == master_id


@pytest.mark.parametrize(
    ("make_request", "code"),
    [
        (
            lambda ids: ("Opportunity", ids["account"], [ids["account"]]),
            "INVALID_TYPE_FOR_OPERATION",
        ),
        (lambda ids: ("Contact", ids["contacts"][0], []), "REQUIRED_FIELD_MISSING"),
        (lambda ids: ("Contact", ids["contacts"][0], ids["contacts"][1:]), "LIMIT_EXCEEDED"),
        (lambda ids: ("Contact", ids["contacts"][0], ids["contacts"][:1]), "INVALID_ID_FIELD"),
        (lambda ids: ("Contact", ids["contacts"][0], [ids["account"]]), "MALFORMED_ID"),
        (lambda ids: ("Contact", ids["deleted"], ids["contacts"][:1]), "ENTITY_IS_DELETED"),
        (lambda ids: ("Lead", ids["leads"][0], ids["leads"][1:]), "CANNOT_UPDATE_CONVERTED_LEAD"),
    ],
)
def test_refused_merges_change_nothing(store, make_request, code):
    ids = {
        "account": store.insert("Account", {"Name": "Acme"}),
        "contacts": [store.insert("Contact", {"LastName": f"C{n}"}) for n in range(4)],
        "deleted": store.insert("Contact", {"LastName": "Gone"}),
        "leads": [store.insert("Lead", {"LastName": f"L{n}", "Company": "Co"}) for n in range(2)],
    }
    store.delete("Contact", ids["deleted"])
    store.convert_lead(ids["leads"][1])
    before = {name: store.all(name, include_deleted=True) for name in ("Contact", "Lead")}

    with pytest.raises(ApiError) as raised:
        store.merge(*make_request(ids))

    assert raised.value.error_code == code
    assert {name: store.all(name, include_deleted=True) for name in before} == before


def test_a_refused_master_update_rolls_the_whole_merge_back(store):
    master_id = store.insert("Contact", {"LastName": "Master"})
    victim_id = store.insert("Contact", {"LastName": "Victim"})
    task_id = store.insert("Task", {"Subject": "Call", "WhoId": victim_id})

    with pytest.raises(ApiError, match="Email"):
        store.merge("Contact", master_id, [victim_id], fields={"Email": "not an email"})

    restored = store.get("Contact", victim_id)
    assert restored["IsDeleted"] is False
    assert restored.get("MasterRecordId") is None  # Salesforce clears it on undelete
    assert store.get("Task", task_id)["WhoId"] == victim_id

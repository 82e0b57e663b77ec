"""The /_emulator/ control API, for an emulator running in another process."""

import pytest


@pytest.fixture
def control(org, http):
    http.headers["Authorization"] = f"Bearer {org.admin_key}"

    def call(method, path, **kwargs):
        return http.request(method, f"{org.url}/_emulator/{path}", timeout=10, **kwargs)

    return call


def test_the_admin_key_is_required(org, http):
    response = http.get(f"{org.url}/_emulator/stats", timeout=10)

    assert response.status_code == 401


def test_records_are_written_as_another_user_and_not_counted(org, control):
    created = control(
        "POST", "records/Contact", json={"LastName": "Foreign", "Birthdate": "1990-05-01"}
    )
    contact_id = created.json()["id"]
    control("PATCH", f"records/Contact/{contact_id}", json={"Title": "Edited"})
    control("DELETE", f"records/Contact/{contact_id}")

    contact = org.store.get("Contact", contact_id)
    assert created.status_code == 201
    assert contact["CreatedById"] != org.integration_user_id
    assert (contact["Title"], contact["IsDeleted"]) == ("Edited", True)
    assert org.api_calls == 0


def test_invalid_record_writes_answer_salesforce_errors(control):
    response = control("POST", "records/Contact", json={"FirstName": "No last name"})

    assert response.json()[0]["errorCode"] == "REQUIRED_FIELD_MISSING"


def test_faults_latency_and_stats(org, control):
    control("POST", "faults", json={"kind": "503", "times": 2})
    control("POST", "latency", json={"seconds": 0.01})
    control("POST", "api_usage", json={"used": 5, "max": 50})

    stats = control("GET", "stats").json()
    control("DELETE", "faults")

    assert stats["faults"][0]["kind"] == "503"
    assert stats["latency"] == 0.01
    assert stats["api_usage"] == {"used": 5, "max": 50}
    assert org.faults.pending() == []


def test_seed_convert_and_reset(org, control):
    control("POST", "seed", json={"accounts": 2, "contacts": 3, "leads": 2, "opportunities": 1})
    lead_id = org.store.insert("Lead", {"LastName": "Convert", "Company": "Me"})

    converted = control(
        "POST", "convert_lead", json={"lead_id": lead_id, "create_opportunity": True}
    )
    control("POST", "reset")

    assert set(converted.json()) == {"accountId", "contactId", "opportunityId"}
    assert org.store.count("Lead") == 0


def test_merge_records_as_a_sales_user(org, control):
    master_id = org.store.insert("Account", {"Name": "Acme"})
    victim_id = org.store.insert("Account", {"Name": "ACME Inc."})

    merged = control("POST", "merge", json={
        "object": "Account", "master_id": master_id, "victim_ids": [victim_id],
        "fields": {"Description": "Merged"},
    })  # fmt: skip
    refused = control("POST", "merge", json={"object": "Account", "master_id": master_id,
                                             "victim_ids": [victim_id]})  # fmt: skip

    master = org.store.get("Account", master_id)
    assert merged.json()["mergedRecordIds"] == [victim_id]
    assert (master["Description"], master["LastModifiedById"]) == (
        "Merged",
        org.store.default_user_id,
    )
    assert org.store.get("Account", victim_id)["MasterRecordId"] == master_id
    assert refused.json()[0]["errorCode"] == "ENTITY_IS_DELETED"

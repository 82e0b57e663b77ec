"""Task rules over HTTPS: lead tasks, create-only subtype, owners, lookups, lengths, upsert."""

import csv
import io
import time

import pytest

from integrations.emulator.records.ids import make_id
from integrations.emulator.records.org import INACTIVE_USER_ID, MANAGER_USER_ID


def _error(response):
    (error,) = response.json()
    return error["errorCode"], error.get("fields", [])


@pytest.fixture
def lead_id(api):
    return api.emulator.store.insert("Lead", {"LastName": "Lee", "Company": "Leadco"})


@pytest.fixture
def account_id(api):
    return api.emulator.store.insert("Account", {"Name": "Acme"})


def test_task_on_a_contact_and_account_is_created_with_its_fields(api, account_id):
    contact_id = api.emulator.store.insert("Contact", {"LastName": "Cole"})
    body = {"Subject": "Call", "WhoId": contact_id, "WhatId": account_id, "TaskSubtype": "Call",
            "CallDurationInSeconds": 95, "Status": "Completed", "ActivityDate": "2030-01-31",
            "Description": "x" * 32000, "OwnerId": MANAGER_USER_ID,
            "CRMBridge_Id__c": "visit-1"}  # fmt: skip

    response = api.post("sobjects/Task", json=body)
    task = api.get(f"sobjects/Task/{response.json()['id']}").json()

    assert response.status_code == 201
    assert (task["TaskSubtype"], task["CallDurationInSeconds"], task["IsClosed"]) == (
        "Call", 95, True
    )  # fmt: skip
    assert (task["OwnerId"], task["ActivityDate"]) == (MANAGER_USER_ID, "2030-01-31")


def test_lead_task_goes_on_the_lead_alone(api, lead_id):
    response = api.post("sobjects/Task", json={"Subject": "Call", "WhoId": lead_id})

    assert response.status_code == 201


def test_lead_task_with_a_what_id_is_refused_on_create(api, lead_id, account_id):
    response = api.post("sobjects/Task", json={"WhoId": lead_id, "WhatId": account_id})

    assert response.status_code == 400
    assert _error(response) == ("FIELD_INTEGRITY_EXCEPTION", ["WhatId"])
    assert api.emulator.store.count("Task") == 0


def test_lead_task_with_a_what_id_is_refused_on_update(api, lead_id, account_id):
    task_id = api.emulator.store.insert("Task", {"WhatId": account_id})

    response = api.patch(f"sobjects/Task/{task_id}", json={"WhoId": lead_id})

    assert _error(response)[0] == "FIELD_INTEGRITY_EXCEPTION"
    assert api.emulator.store.get("Task", task_id)["WhoId"] is None


def test_lead_task_with_a_what_id_is_refused_in_collections(api, lead_id, account_id):
    records = [{"attributes": {"type": "Task"}, "WhoId": lead_id, "WhatId": account_id},
               {"attributes": {"type": "Task"}, "WhoId": lead_id}]  # fmt: skip

    results = api.post("composite/sobjects", json={"allOrNone": False, "records": records}).json()

    assert results[0]["errors"][0]["statusCode"] == "FIELD_INTEGRITY_EXCEPTION"
    assert results[1]["success"] is True


def test_lead_task_with_a_what_id_is_refused_in_bulk(api, lead_id, account_id):
    spec = {"object": "Task", "operation": "insert", "contentType": "CSV", "lineEnding": "LF"}
    job = api.post("jobs/ingest", json=spec).json()
    data = f"Subject,WhoId,WhatId\nBoth,{lead_id},{account_id}\nLead only,{lead_id},\n"
    api.put(f"jobs/ingest/{job['id']}/batches", data=data.encode(),
            headers={"Content-Type": "text/csv"})  # fmt: skip
    api.patch(f"jobs/ingest/{job['id']}", json={"state": "UploadComplete"})
    while api.get(f"jobs/ingest/{job['id']}").json()["state"] != "JobComplete":
        time.sleep(0.005)

    results = api.get(f"jobs/ingest/{job['id']}/failedResults").text
    failed = list(csv.DictReader(io.StringIO(results)))

    assert [row["sf__Error"].split(":")[0] for row in failed] == ["FIELD_INTEGRITY_EXCEPTION"]
    assert api.emulator.store.count("Task") == 1


def test_task_subtype_is_set_on_create_only(api):
    task_id = api.post("sobjects/Task", json={"TaskSubtype": "Email"}).json()["id"]

    response = api.patch(f"sobjects/Task/{task_id}", json={"TaskSubtype": "Call"})

    assert _error(response) == ("INVALID_FIELD_FOR_INSERT_UPDATE", ["TaskSubtype"])
    assert api.emulator.store.get("Task", task_id)["TaskSubtype"] == "Email"


def test_task_subtype_and_status_are_restricted_picklists(api):
    subtype = api.post("sobjects/Task", json={"TaskSubtype": "Meeting"})
    status = api.post("sobjects/Task", json={"Status": "Done"})

    assert _error(subtype) == ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ["TaskSubtype"])
    assert _error(status) == ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ["Status"])


def test_owner_must_be_an_active_user(api):
    response = api.post("sobjects/Task", json={"Subject": "Call", "OwnerId": INACTIVE_USER_ID})

    assert _error(response) == ("INACTIVE_OWNER_OR_USER", ["OwnerId"])
    assert api.emulator.store.count("Task") == 0


def test_owner_cannot_be_changed_to_an_inactive_user(api):
    task_id = api.emulator.store.insert("Task", {"Subject": "Call"})

    response = api.patch(f"sobjects/Task/{task_id}", json={"OwnerId": INACTIVE_USER_ID})

    assert _error(response)[0] == "INACTIVE_OWNER_OR_USER"


def test_who_and_what_must_point_at_the_right_objects(api, account_id):
    who_account = api.post("sobjects/Task", json={"WhoId": account_id})
    what_user = api.post("sobjects/Task", json={"WhatId": MANAGER_USER_ID})

    assert _error(who_account) == ("FIELD_INTEGRITY_EXCEPTION", ["WhoId"])
    assert _error(what_user) == ("FIELD_INTEGRITY_EXCEPTION", ["WhatId"])


def test_who_must_exist(api):
    missing_contact = make_id("003", 999_999)

    response = api.post("sobjects/Task", json={"WhoId": missing_contact})

    assert _error(response) == ("INVALID_CROSS_REFERENCE_KEY", ["WhoId"])


def test_subject_description_duration_and_date_are_checked(api):
    subject = api.post("sobjects/Task", json={"Subject": "s" * 256})
    description = api.post("sobjects/Task", json={"Description": "d" * 32001})
    duration = api.post("sobjects/Task", json={"CallDurationInSeconds": 100_000_000})
    date = api.post("sobjects/Task", json={"ActivityDate": "tomorrow"})

    assert _error(subject) == ("STRING_TOO_LONG", ["Subject"])
    assert _error(description) == ("STRING_TOO_LONG", ["Description"])
    assert _error(duration) == ("NUMBER_OUTSIDE_VALID_RANGE", ["CallDurationInSeconds"])
    assert date.status_code == 400
    assert api.emulator.store.count("Task") == 0


def test_task_upsert_by_external_id(api):
    created = api.patch("sobjects/Task/CRMBridge_Id__c/visit-9", json={"Subject": "Visit"})
    updated = api.patch("sobjects/Task/CRMBridge_Id__c/visit-9", json={"Status": "Completed"})

    assert (created.status_code, updated.status_code) == (201, 200)
    assert api.emulator.store.count("Task") == 1


def test_users_have_email_and_active_flags(api):
    rows = api.query("SELECT Id, Email, IsActive FROM User WHERE IsActive = false").json()

    assert [(row["Id"], row["Email"]) for row in rows["records"]] == [
        (INACTIVE_USER_ID, "ian.inactive@crmbridge-emulator.example")
    ]

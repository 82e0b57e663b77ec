"""Batched writes: sObject Collections in chunks of 200 and Bulk API 2.0 above the threshold."""

import pytest

from integrations.emulator.records.org import MANAGER_USER_ID

pytestmark = pytest.mark.django_db


def contacts(count, *, bad_at=()):
    return [
        {"LastName": f"Person {index}", "Email": f"p{index}@example.com"}
        if index not in bad_at
        else {"FirstName": "No last name", "Email": f"p{index}@example.com"}
        for index in range(count)
    ]


def test_create_chunks_at_200_and_one_bad_record_fails_alone(emulator, sf_client):
    # when
    results = sf_client.create("Contact", contacts(450, bad_at={201}))
    # then
    assert emulator.api_calls_by_path("composite/sobjects") == 3
    assert [result.index for result in results] == list(range(450))
    failed = [result for result in results if not result.success]
    assert [result.index for result in failed] == [201]
    assert failed[0].error_codes == ("REQUIRED_FIELD_MISSING",)
    assert "LastName" in failed[0].errors[0].fields
    assert emulator.store.count("Contact") == 449
    assert all(result.created and result.id for result in results if result.success)


def test_update_and_delete_report_per_record(emulator, sf_client):
    ids = [result.id for result in sf_client.create("Contact", contacts(3))]
    updates = [{"Id": ids[0], "Title": "CEO"}, {"Id": "003000000000000AAA", "Title": "x"}]
    updated = sf_client.update("Contact", updates)
    assert [result.success for result in updated] == [True, False]
    assert emulator.store.get("Contact", ids[0])["Title"] == "CEO"
    deleted = sf_client.delete(ids[1:])
    assert all(result.success for result in deleted)
    assert emulator.store.get("Contact", ids[1])["IsDeleted"] is True


def test_upsert_by_external_id_is_idempotent(emulator, sf_client):
    records = [{"CRMBridge_Id__c": f"c-{index}", "LastName": f"P{index}"} for index in range(5)]
    first = sf_client.upsert("Contact", "CRMBridge_Id__c", records)
    second = sf_client.upsert("Contact", "CRMBridge_Id__c", records)
    assert all(result.created for result in first)
    assert not any(result.created for result in second)
    assert [result.id for result in first] == [result.id for result in second]
    assert emulator.store.count("Contact") == 5


def test_records_locked_in_a_collection_are_sent_again(emulator, sf_client):
    emulator.faults.inject("lock", records=3)
    results = sf_client.create("Contact", contacts(10))
    assert all(result.success for result in results)
    assert emulator.store.count("Contact") == 10


def test_large_jobs_take_the_bulk_path_with_per_record_results(emulator, sf_client, settings):
    # given
    settings.SALESFORCE_BULK_THRESHOLD = 100
    records = contacts(250, bad_at={7, 180})
    # when
    results = sf_client.save("insert", "Contact", records)
    # then
    assert emulator.api_calls_by_path("composite/sobjects") == 0
    assert emulator.api_calls_by_path("jobs/ingest") >= 4
    assert emulator.api_calls <= 12
    assert [result.index for result in results if not result.success] == [7, 180]
    assert results[7].error_codes == ("REQUIRED_FIELD_MISSING",)
    assert emulator.store.count("Contact") == 248
    emails = {emulator.store.get("Contact", r.id)["Email"] for r in results if r.success}
    assert emails == {f"p{index}@example.com" for index in range(250) if index not in (7, 180)}


def test_bulk_update_with_nulls(emulator, sf_client, settings):
    # given: contacts with a title, and a job large enough for Bulk API 2.0
    settings.SALESFORCE_BULK_THRESHOLD = 2
    titled = [{**row, "Title": "Buyer"} for row in contacts(3)]
    ids = [result.id for result in sf_client.create("Contact", titled)]
    # when: the title is cleared (null travels as #N/A in the CSV)
    updates = [{"Id": record_id, "Title": None, "Phone": "+1 555 0100"} for record_id in ids]
    results = sf_client.save("update", "Contact", updates)
    # then
    assert all(result.success for result in results)
    assert emulator.api_calls_by_path("jobs/ingest") > 0
    stored = [emulator.store.get("Contact", record_id) for record_id in ids]
    assert {row["Phone"] for row in stored} == {"+1 555 0100"}
    assert [row.get("Title") for row in stored] == [None, None, None]


def test_small_jobs_use_collections(emulator, sf_client):
    sf_client.save("insert", "Contact", contacts(5))
    assert emulator.api_calls_by_path("jobs/ingest") == 0
    assert emulator.api_calls_by_path("composite/sobjects") == 1


def test_bulk_job_closed_before_the_connection_dropped_goes_on(emulator, sf_client, settings):
    # given: Salesforce takes the UploadComplete, then the connection drops unanswered
    settings.SALESFORCE_BULK_THRESHOLD = 100
    emulator.faults.inject("disconnect_after_apply", path_contains="jobs/ingest/", method="PATCH")
    jobs_before = len(emulator.jobs.all())
    # when
    results = sf_client.save("insert", "Contact", contacts(150))
    # then: the job's state was read instead of closing it again; every record once
    assert all(result.success and result.created for result in results)
    assert emulator.store.count("Contact") == 150
    assert len(emulator.jobs.all()) - jobs_before == 1


def test_bulk_upload_whose_answer_was_lost_is_not_sent_again(emulator, sf_client, settings):
    # given: Salesforce stores the job's CSV, then the connection drops unanswered
    settings.SALESFORCE_BULK_THRESHOLD = 100
    emulator.faults.inject("disconnect_after_apply", path_contains="/batches")
    jobs_before = len(emulator.jobs.all())
    # when
    results = sf_client.save("insert", "Contact", contacts(150))
    # then: the job was closed as it was (a second upload is refused); every record once
    assert all(result.success and result.created for result in results)
    assert emulator.store.count("Contact") == 150
    assert len(emulator.jobs.all()) - jobs_before == 1


def test_leads_naming_an_owner_go_without_assignment_rules(emulator, sf_client):
    # given: the request headers each collection call is sent with, as they left
    sent = []
    sf_client.sf.session.hooks["response"].append(
        lambda response, **_: sent.append(response.request.headers.get("Sforce-Auto-Assign"))
    )
    lead = {"LastName": "Vogel", "Company": "Vogel"}
    owned = {**lead, "OwnerId": MANAGER_USER_ID}

    # when
    sf_client.create("Lead", [lead, owned])
    sf_client.create("Lead", [lead])
    sf_client.create("Contact", [{"LastName": "Vogel", "OwnerId": MANAGER_USER_ID}])

    # then: only a chunk of Leads naming an owner keeps it from the org's rules
    assert sent == ["FALSE", None, None]
    assert {row["OwnerId"] for row in emulator.store.all("Lead")} >= {MANAGER_USER_ID}

"""Bulk API 2.0 ingest jobs over HTTPS: lifecycle, per-row failures, results as CSV."""

import csv
import io
import time


def _job(api, **spec):
    body = {
        "object": "Contact",
        "operation": "insert",
        "contentType": "CSV",
        "lineEnding": "LF",
        **spec,
    }
    return api.post("jobs/ingest", json=body).json()


def _run(api, job_id, data: str):
    uploaded = api.put(f"jobs/ingest/{job_id}/batches", data=data.encode(),
                       headers={"Content-Type": "text/csv"})  # fmt: skip
    closed = api.patch(f"jobs/ingest/{job_id}", json={"state": "UploadComplete"})
    states = []
    while not states or states[-1] not in ("JobComplete", "Failed", "Aborted"):
        states.append(api.get(f"jobs/ingest/{job_id}").json()["state"])
        time.sleep(0.005)
    return uploaded, closed, states


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.text)))


def test_insert_job_reports_successes_and_failed_rows(api):
    job = _job(api)
    data = "LastName,Email\nGood One,one@example.com\n,nobody@example.com\nGood Two,not-an-email\n"

    uploaded, closed, states = _run(api, job["id"], data)
    info = api.get(f"jobs/ingest/{job['id']}").json()
    successes = _csv(api.get(f"jobs/ingest/{job['id']}/successfulResults"))
    failures = _csv(api.get(f"jobs/ingest/{job['id']}/failedResults"))

    assert job["state"] == "Open"
    assert job["id"].startswith("750")
    assert uploaded.status_code == 201
    assert closed.json()["state"] == "UploadComplete"
    assert states[0] == "InProgress"
    assert states[-1] == "JobComplete"
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (3, 2)
    assert [(row["sf__Created"], row["LastName"]) for row in successes] == [("true", "Good One")]
    assert api.emulator.store.get("Contact", successes[0]["sf__Id"])["Email"] == "one@example.com"
    assert [row["sf__Error"].split(":")[0] for row in failures] == [
        "REQUIRED_FIELD_MISSING",
        "INVALID_EMAIL_ADDRESS",
    ]


def test_upsert_job_with_null_marker(api):
    store = api.emulator.store
    existing = store.insert(
        "Contact", {"LastName": "Old", "Phone": "123", "CRMBridge_Id__c": "b-1"}
    )
    job = _job(api, operation="upsert", externalIdFieldName="CRMBridge_Id__c")

    _run(api, job["id"], "CRMBridge_Id__c,LastName,Phone\nb-1,Renamed,#N/A\nb-2,New,\n")
    successes = _csv(api.get(f"jobs/ingest/{job['id']}/successfulResults"))

    assert [(r["sf__Id"] == existing, r["sf__Created"]) for r in successes] == [
        (True, "false"),
        (False, "true"),
    ]
    assert (
        store.get("Contact", existing)["LastName"],
        store.get("Contact", existing)["Phone"],
    ) == ("Renamed", None)


def test_a_whole_job_takes_a_handful_of_api_calls(api):
    api.emulator.reset_stats()
    job = _job(api)
    rows = "".join(f"Person {n}\n" for n in range(1000))

    _, _, states = _run(api, job["id"], "LastName\n" + rows)
    api.get(f"jobs/ingest/{job['id']}/successfulResults")

    assert api.emulator.store.count("Contact") == 1000
    assert api.emulator.api_calls == 4 + len(states)


def test_wrong_line_ending_fails_the_job(api):
    job = _job(api)

    _, _, states = _run(api, job["id"], "LastName\r\nCrlf\r\n")
    info = api.get(f"jobs/ingest/{job['id']}").json()

    assert states[-1] == "Failed"
    assert "LineEnding is invalid" in info["errorMessage"]


def test_unknown_column_fails_the_job(api):
    job = _job(api)

    _, _, states = _run(api, job["id"], "LastName,Shoe_Size__c\nX,9\n")

    assert states[-1] == "Failed"
    assert api.get(f"jobs/ingest/{job['id']}").json()["errorMessage"] == (
        "InvalidBatch : Field name not found : Shoe_Size__c"
    )


def test_data_cannot_be_uploaded_after_closing(api):
    job = _job(api)
    _run(api, job["id"], "LastName\nA\n")

    late = api.put(
        f"jobs/ingest/{job['id']}/batches",
        data=b"LastName\nB\n",
        headers={"Content-Type": "text/csv"},
    )

    assert late.json()[0]["errorCode"] == "INVALIDJOBSTATE"


def test_aborted_job_and_deletion(api):
    job = _job(api)

    aborted = api.patch(f"jobs/ingest/{job['id']}", json={"state": "Aborted"})
    deleted = api.delete(f"jobs/ingest/{job['id']}")

    assert aborted.json()["state"] == "Aborted"
    assert deleted.status_code == 204
    assert api.get(f"jobs/ingest/{job['id']}").status_code == 404


def test_upsert_without_external_id_field_is_refused(api):
    response = api.post("jobs/ingest", json={"object": "Contact", "operation": "upsert"})

    assert response.json()[0]["errorCode"] == "INVALIDJOB"


def test_lock_fault_fails_the_first_rows(api):
    api.emulator.faults.inject("lock", records=1, path_contains="jobs/ingest")
    job = _job(api)

    _run(api, job["id"], "LastName\nA\nB\n")
    failures = _csv(api.get(f"jobs/ingest/{job['id']}/failedResults"))

    assert [row["sf__Error"].split(":")[0] for row in failures] == ["UNABLE_TO_LOCK_ROW"]
    assert api.emulator.store.count("Contact") == 1


def test_delete_job(api):
    store = api.emulator.store
    ids = [store.insert("Contact", {"LastName": name}) for name in "AB"]
    job = _job(api, operation="delete")

    _run(api, job["id"], "Id\n" + "\n".join(ids) + "\n")

    assert store.count("Contact") == 0
    assert store.get("Contact", ids[0])["IsDeleted"] is True


def test_a_closed_job_cannot_be_closed_again(api):
    # given: a job closed once (Salesforce queues it: UploadComplete, then InProgress)
    job = _job(api)
    _run(api, job["id"], "LastName\nOnce\n")
    # when: the same state change is sent again
    again = api.patch(f"jobs/ingest/{job['id']}", json={"state": "UploadComplete"})
    # then: refused as an invalid state change, and the job is untouched
    assert again.status_code == 400
    assert again.json()[0]["errorCode"] == "INVALIDJOBSTATE"
    assert api.get(f"jobs/ingest/{job['id']}").json()["state"] == "JobComplete"


def test_a_job_takes_one_upload(api):
    # given: a job with its data uploaded
    job = _job(api)
    first = api.put(f"jobs/ingest/{job['id']}/batches", data=b"LastName\nOne\n",
                    headers={"Content-Type": "text/csv"})  # fmt: skip
    # when: more data is sent to it
    second = api.put(f"jobs/ingest/{job['id']}/batches", data=b"LastName\nTwo\n",
                     headers={"Content-Type": "text/csv"})  # fmt: skip
    # then: refused as Salesforce does; the job runs the first upload alone
    assert first.status_code == 201
    assert second.status_code == 400
    assert second.json()[0]["errorCode"] == "BULK_API_ERROR"
    assert "multiple contents" in second.json()[0]["message"]
    api.patch(f"jobs/ingest/{job['id']}", json={"state": "UploadComplete"})
    while api.get(f"jobs/ingest/{job['id']}").json()["state"] != "JobComplete":
        time.sleep(0.005)
    assert [
        row["LastName"] for row in _csv(api.get(f"jobs/ingest/{job['id']}/successfulResults"))
    ] == ["One"]

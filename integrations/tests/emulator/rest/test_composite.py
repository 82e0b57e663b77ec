"""sObject Collections: per-record results, allOrNone, the 200-record limit and lock faults."""


def _contacts(*last_names):
    return [{"attributes": {"type": "Contact"}, "LastName": name} for name in last_names]


def test_one_bad_record_fails_alone(api):
    records = _contacts("Good 1", "Good 2") + [
        {"attributes": {"type": "Contact"}, "FirstName": "No"}
    ]

    results = api.post("composite/sobjects", json={"allOrNone": False, "records": records}).json()

    assert [result["success"] for result in results] == [True, True, False]
    assert results[2] == {
        "success": False,
        "errors": [{"statusCode": "REQUIRED_FIELD_MISSING",
                    "message": "Required fields are missing: [LastName]", "fields": ["LastName"]}],
    }  # fmt: skip
    assert api.emulator.store.count("Contact") == 2


def test_all_or_none_rolls_back_every_record(api):
    records = _contacts("Good") + [{"attributes": {"type": "Contact"}, "LastName": "X" * 100}]

    results = api.post("composite/sobjects", json={"allOrNone": True, "records": records}).json()

    assert results[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert results[1]["errors"][0]["statusCode"] == "STRING_TOO_LONG"
    assert api.emulator.store.count("Contact") == 0


def test_more_than_200_records_are_refused(api):
    response = api.post("composite/sobjects", json={"records": _contacts(*map(str, range(201)))})

    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "EXCEEDED_ID_LIMIT"
    assert api.emulator.store.count("Contact") == 0


def test_records_must_name_their_type(api):
    response = api.post("composite/sobjects", json={"records": [{"LastName": "Untyped"}]})

    assert response.status_code == 400


def test_update_reports_each_record_with_its_id(api):
    store = api.emulator.store
    kept = store.insert("Contact", {"LastName": "Kept"})
    binned = store.insert("Contact", {"LastName": "Binned"})
    store.delete("Contact", binned)
    records = [
        {"attributes": {"type": "Contact"}, "Id": kept, "Title": "Boss"},
        {"attributes": {"type": "Contact"}, "Id": binned, "Title": "Ghost"},
        {"attributes": {"type": "Contact"}, "Title": "Nobody"},
    ]

    results = api.patch("composite/sobjects", json={"records": records}).json()

    assert results[0] == {"id": kept, "success": True, "errors": []}
    assert (results[1]["id"], results[1]["errors"][0]["statusCode"]) == (
        binned,
        "ENTITY_IS_DELETED",
    )
    assert results[2]["errors"][0]["statusCode"] == "MISSING_ARGUMENT"
    assert store.get("Contact", kept)["Title"] == "Boss"


def test_upsert_by_external_id_reports_created(api):
    store = api.emulator.store
    existing = store.insert("Contact", {"LastName": "Old", "CRMBridge_Id__c": "c-1"})
    records = [
        {"attributes": {"type": "Contact"}, "CRMBridge_Id__c": "c-1", "LastName": "Renamed"},
        {"attributes": {"type": "Contact"}, "CRMBridge_Id__c": "c-2", "LastName": "New"},
        {"attributes": {"type": "Contact"}, "CRMBridge_Id__c": "c-3", "LastName": "Twin"},
        {"attributes": {"type": "Contact"}, "CRMBridge_Id__c": "C-3", "LastName": "Twin"},
    ]

    results = api.patch(
        "composite/sobjects/Contact/CRMBridge_Id__c", json={"records": records}
    ).json()

    assert results[0] == {"id": existing, "success": True, "errors": [], "created": False}
    assert results[1]["created"] is True
    assert [r["errors"][0]["statusCode"] for r in results[2:]] == ["DUPLICATE_EXTERNAL_ID"] * 2
    assert store.get("Contact", existing)["LastName"] == "Renamed"


def test_delete_by_ids(api):
    store = api.emulator.store
    contact_id = store.insert("Contact", {"LastName": "Doomed"})

    results = api.delete(
        "composite/sobjects", params={"ids": f"{contact_id},bogus", "allOrNone": "false"}
    ).json()

    assert results[0] == {"id": contact_id, "success": True, "errors": []}
    assert results[1]["errors"][0]["statusCode"] == "MALFORMED_ID"
    assert store.get("Contact", contact_id)["IsDeleted"] is True


def test_retrieve_returns_null_for_missing_records(api):
    store = api.emulator.store
    contact_id = store.insert("Contact", {"LastName": "Here", "Email": "here@example.com"})
    missing = store.insert("Contact", {"LastName": "Gone"})
    store.delete("Contact", missing)

    results = api.post("composite/sobjects/Contact", json={"ids": [contact_id, missing],
                                                           "fields": ["Email"]}).json()  # fmt: skip

    assert results[0]["Email"] == "here@example.com"
    assert results[1] is None


def test_lock_fault_fails_the_first_records_without_applying_them(api):
    api.emulator.faults.inject("lock", records=2, path_contains="composite/sobjects")

    results = api.post("composite/sobjects", json={"records": _contacts("A", "B", "C")}).json()

    assert [r["errors"][0]["statusCode"] for r in results[:2]] == ["UNABLE_TO_LOCK_ROW"] * 2
    assert results[2]["success"] is True
    assert api.emulator.store.count("Contact") == 1

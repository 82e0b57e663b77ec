"""Single-record REST resources, metadata and the errors Salesforce gives for bad writes."""

import pytest

from ..conftest import new_session


def _error(response):
    (error,) = response.json()
    return error["errorCode"], error["message"], error.get("fields", [])


def test_versions_list_runs_from_v50_to_v66(org, http):
    versions = http.get(f"{org.url}/services/data/", timeout=10).json()

    assert versions[0] == {"label": "Winter '21", "url": "/services/data/v50.0", "version": "50.0"}
    assert versions[-1]["version"] == "66.0"


def test_unknown_version_is_not_found(api):
    response = api.get(f"{api.emulator.url}/services/data/v49.0/limits")

    assert response.status_code == 404


def test_every_call_reports_usage_and_counts_once(api):
    api.emulator.set_api_usage(used=10, max=500)

    response = api.get("limits")

    assert response.headers["Sforce-Limit-Info"] == "api-usage=11/500"
    assert response.json()["DailyApiRequests"] == {"Max": 500, "Remaining": 489}


def test_error_answers_report_usage_too(api):
    response = api.get("sobjects/Spaceship__c/describe")

    assert response.status_code == 404
    assert response.headers["Sforce-Limit-Info"].startswith("api-usage=")


def test_calls_without_a_session_are_rejected(org, http):
    response = http.get(f"{org.url}/services/data/v62.0/sobjects", timeout=10)

    assert response.status_code == 401
    assert _error(response)[0] == "INVALID_SESSION_ID"


def test_describe_shows_permissions_picklists_and_external_ids(api):
    contact = api.get("sobjects/Contact/describe").json()
    lead = api.get("sobjects/lead/describe").json()
    fields = {field["name"]: field for field in contact["fields"]}
    status = next(field for field in lead["fields"] if field["name"] == "Status")

    assert contact["keyPrefix"] == "003"
    assert fields["Name"]["createable"] is False
    assert fields["LastName"]["nillable"] is False
    assert fields["CRMBridge_Id__c"]["externalId"] is True
    assert fields["CRMBridge_Id__c"]["length"] == 64
    assert fields["AccountId"]["referenceTo"] == ["Account"]
    assert fields["AccountId"]["relationshipName"] == "Account"
    assert status["restrictedPicklist"] is True
    assert [v["value"] for v in status["picklistValues"] if v["defaultValue"]] == [
        "Open - Not Contacted"
    ]


def test_global_describe_lists_the_objects(api):
    names = {sobject["name"] for sobject in api.get("sobjects").json()["sobjects"]}

    assert {"Account", "Contact", "Lead", "Opportunity", "OpportunityContactRole",
            "OpportunityStage", "Task", "Note", "User", "Organization"} <= names  # fmt: skip


def test_create_read_update_delete_a_contact(api):
    created = api.post("sobjects/Contact", json={"FirstName": "Ada", "LastName": "Lovelace"})
    contact_id = created.json()["id"]

    read = api.get(f"sobjects/Contact/{contact_id}").json()
    updated = api.patch(f"sobjects/Contact/{contact_id}", json={"Title": "Countess"})
    partial = api.get(f"sobjects/Contact/{contact_id[:15]}", params={"fields": "name,Title"}).json()
    deleted = api.delete(f"sobjects/Contact/{contact_id}")
    gone = api.get(f"sobjects/Contact/{contact_id}")

    assert created.status_code == 201
    assert created.json() == {"id": contact_id, "success": True, "errors": []}
    assert read["Name"] == "Ada Lovelace"
    assert read["CreatedById"] == api.emulator.integration_user_id
    assert read["CreatedDate"].endswith("+0000")
    assert updated.status_code == 204
    assert partial == {
        "attributes": {
            "type": "Contact",
            "url": f"/services/data/v62.0/sobjects/Contact/{contact_id}",
        },
        "Name": "Ada Lovelace",
        "Title": "Countess",
    }
    assert deleted.status_code == 204
    assert (gone.status_code, _error(gone)[0]) == (404, "ENTITY_IS_DELETED")


@pytest.mark.parametrize(
    ("body", "code", "fields"),
    [
        ({"LastName": "X", "Shoe_Size__c": 9}, "INVALID_FIELD", ["Shoe_Size__c"]),
        ({"LastName": "X", "Name": "Y"}, "INVALID_FIELD_FOR_INSERT_UPDATE", ["Name"]),
        ({"LastName": "X", "CreatedDate": "2024-01-01T00:00:00Z"},
         "INVALID_FIELD_FOR_INSERT_UPDATE", ["CreatedDate"]),
        ({"FirstName": "X"}, "REQUIRED_FIELD_MISSING", ["LastName"]),
        ({"LastName": "X" * 81}, "STRING_TOO_LONG", ["LastName"]),
        ({"LastName": "X", "Email": "not-an-email"}, "INVALID_EMAIL_ADDRESS", ["Email"]),
        ({"LastName": "X", "AccountId": "garbage"}, "MALFORMED_ID", ["AccountId"]),
        # Values are matched whole: a trailing newline is not forgiven.
        ({"LastName": "X", "Email": "ada@example.com\n"}, "INVALID_EMAIL_ADDRESS", ["Email"]),
        ({"LastName": "X", "AccountId": "001000000000001\n"}, "MALFORMED_ID", ["AccountId"]),
        ({"LastName": "X", "AccountId": "001000000000000AAA"},
         "INVALID_CROSS_REFERENCE_KEY", ["AccountId"]),
        ({"LastName": "X", "Birthdate": "31/01/2024"}, "JSON_PARSER_ERROR", []),
        ({"LastName": "X", "HasOptedOutOfEmail": "maybe"}, "JSON_PARSER_ERROR", []),
    ],
)  # fmt: skip
def test_invalid_contact_writes_fail_like_salesforce(api, body, code, fields):
    response = api.post("sobjects/Contact", json=body)

    assert response.status_code == 400
    assert _error(response)[0] == code
    assert _error(response)[2] == fields


def test_required_fields_are_listed_in_one_message(api):
    response = api.post("sobjects/Lead", json={"FirstName": "Only"})

    assert _error(response)[1] == "Required fields are missing: [LastName, Company]"


def test_restricted_picklist_rejects_unknown_values(api):
    response = api.post("sobjects/Lead", json={"LastName": "X", "Company": "Y", "Status": "Hot"})

    assert _error(response) == (
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        "Lead Status: bad value for restricted picklist field: Hot",
        ["Status"],
    )


def test_malformed_json_body(api):
    response = api.post(
        "sobjects/Contact", data="{not json", headers={"Content-Type": "application/json"}
    )

    assert _error(response)[0] == "JSON_PARSER_ERROR"


def test_duplicate_external_id_is_rejected(api):
    api.post("sobjects/Account", json={"Name": "A", "CRMBridge_Id__c": "ext-1"})

    response = api.post("sobjects/Account", json={"Name": "B", "CRMBridge_Id__c": "EXT-1"})

    assert _error(response)[0] == "DUPLICATE_VALUE"


def test_a_url_segment_that_is_no_id_is_read_as_an_external_id_field(api):
    response = api.get("sobjects/Contact/not-an-id")

    assert response.status_code == 404
    assert (
        _error(response)[1]
        == "Provided external ID field does not exist or is not accessible: not-an-id"
    )


def test_upsert_creates_then_updates_by_external_id(api):
    created = api.patch("sobjects/Contact/CRMBridge_Id__c/person-7", json={"LastName": "Doe"})
    updated = api.patch("sobjects/Contact/CRMBridge_Id__c/person-7", json={"Title": "CTO"})
    record = api.emulator.store.get("Contact", created.json()["id"])

    assert (created.status_code, created.json()["created"]) == (201, True)
    assert (updated.status_code, updated.json()["created"]) == (200, False)
    assert updated.json()["id"] == created.json()["id"]
    assert (record["LastName"], record["Title"], record["CRMBridge_Id__c"]) == (
        "Doe",
        "CTO",
        "person-7",
    )


def test_upsert_matching_several_records_answers_300(api):
    store = api.emulator.store
    ids = [
        store.insert("Contact", {"LastName": name, "Email": "twin@example.com"}) for name in "AB"
    ]

    response = api.patch("sobjects/Contact/Email/twin@example.com", json={"Title": "Twin"})

    assert response.status_code == 300
    assert sorted(response.json()) == sorted(
        f"/services/data/v62.0/sobjects/Contact/{i}" for i in ids
    )


def test_updating_a_converted_lead_is_refused(api):
    store = api.emulator.store
    lead_id = store.insert("Lead", {"LastName": "Lee", "Company": "Leeco"})
    store.convert_lead(lead_id)

    response = api.patch(f"sobjects/Lead/{lead_id}", json={"Title": "Boss"})

    assert _error(response)[0] == "CANNOT_UPDATE_CONVERTED_LEAD"


def test_request_lines_over_16384_bytes_are_refused(api):
    response = api.get(
        "query", params={"q": "SELECT Id FROM Contact WHERE Name = '" + "x" * 17000 + "'"}
    )

    assert response.status_code == 414


def test_unknown_method_on_a_resource(api):
    response = api.put("sobjects/Contact/describe")

    assert response.status_code == 405


def test_a_fresh_session_is_needed_for_each_client(org):
    other = new_session(org)

    assert other.get(f"{org.url}/services/data/v62.0/limits", timeout=10).status_code == 401

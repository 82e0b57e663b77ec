"""Task's custom tracking fields over HTTPS: described like custom fields, values checked as
Salesforce checks them, the formula field computed and never written; and an org without the
Task external-id field."""

import pytest

from integrations.tests.emulator.conftest import ApiClient, new_session, password_login


def _error(response):
    (error,) = response.json()
    return error["errorCode"], error.get("fields", [])


def _task_fields(api) -> dict[str, dict]:
    described = api.get("sobjects/Task/describe").json()
    return {field["name"]: field for field in described["fields"]}


def test_tracking_fields_are_described_as_custom_fields(api):
    fields = _task_fields(api)

    described = {
        name: (field["type"], field["length"], field["precision"], field["scale"])
        for name, field in fields.items()
        if field["custom"] and name != "CRMBridge_Id__c"
    }
    assert described == {
        "Document_Name__c": ("string", 255, 0, 0),
        "Account_Name__c": ("string", 255, 0, 0),
        "Duration_Seconds__c": ("double", 0, 18, 0),
        "Percent_Viewed__c": ("percent", 0, 5, 2),
        "Statistics_URL__c": ("url", 255, 0, 0),
        "Visitor_Email__c": ("email", 80, 0, 0),
        "Document_URL__c": ("url", 255, 0, 0),
        "Internal_URL__c": ("url", 255, 0, 0),
        "External_URL__c": ("url", 255, 0, 0),
        "Visitors__c": ("textarea", 32768, 0, 0),
        "Room_Name__c": ("string", 255, 0, 0),
        "Room_URL__c": ("url", 255, 0, 0),
        "Engagement_Score__c": ("double", 0, 18, 2),
        "Follow_Up_Date__c": ("date", 0, 0, 0),
    }
    assert fields["Percent_Viewed__c"]["soapType"] == "xsd:double"
    assert fields["Visitors__c"]["filterable"] is False  # a long text area
    assert fields["Document_Name__c"]["createable"] is True
    assert fields["Document_Name__c"]["updateable"] is True


def test_the_formula_field_is_calculated_and_read_only(api):
    score = _task_fields(api)["Engagement_Score__c"]

    assert score["calculated"] is True
    assert score["calculatedFormula"] == "Duration_Seconds__c * Percent_Viewed__c / 100"
    assert (score["createable"], score["updateable"]) == (False, False)
    assert _task_fields(api)["Duration_Seconds__c"]["calculated"] is False


def test_a_visit_task_keeps_its_tracking_values_and_computes_the_formula(api):
    body = {
        "Subject": "Viewed: Pitch deck", "Document_Name__c": "Pitch deck",
        "Account_Name__c": "Acme", "Duration_Seconds__c": 754, "Percent_Viewed__c": 62.5,
        "Statistics_URL__c": "https://docs.example.com/stats/1",
        "Visitor_Email__c": "ada@acme.example", "Visitors__c": "ada@acme.example\n" * 1000,
        "Follow_Up_Date__c": "2030-02-01",
    }  # fmt: skip

    task_id = api.post("sobjects/Task", json=body).json()["id"]
    task = api.get(f"sobjects/Task/{task_id}").json()
    api.patch(f"sobjects/Task/{task_id}", json={"Percent_Viewed__c": 100})
    updated = api.get(f"sobjects/Task/{task_id}").json()

    assert (task["Duration_Seconds__c"], task["Percent_Viewed__c"]) == (754.0, 62.5)
    assert task["Engagement_Score__c"] == 471.25
    assert task["Follow_Up_Date__c"] == "2030-02-01"
    assert len(task["Visitors__c"]) == 17_000
    assert updated["Engagement_Score__c"] == 754.0


def test_decimals_beyond_the_scale_are_kept_as_sent(api):
    """Salesforce rounds to a number field's scale on its own pages only, not via the API."""
    task_id = api.post("sobjects/Task", json={"Percent_Viewed__c": 12.3456}).json()["id"]

    assert api.get(f"sobjects/Task/{task_id}").json()["Percent_Viewed__c"] == 12.3456


def test_the_formula_field_cannot_be_written(api):
    created = api.post("sobjects/Task", json={"Engagement_Score__c": 5})
    task_id = api.post("sobjects/Task", json={"Subject": "Visit"}).json()["id"]
    updated = api.patch(f"sobjects/Task/{task_id}", json={"Engagement_Score__c": 5})

    assert _error(created) == ("INVALID_FIELD_FOR_INSERT_UPDATE", ["Engagement_Score__c"])
    assert _error(updated) == ("INVALID_FIELD_FOR_INSERT_UPDATE", ["Engagement_Score__c"])


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("Percent_Viewed__c", 1000, "NUMBER_OUTSIDE_VALID_RANGE"),  # 3 digits before the point
        ("Percent_Viewed__c", -1000, "NUMBER_OUTSIDE_VALID_RANGE"),
        ("Duration_Seconds__c", 10**18, "NUMBER_OUTSIDE_VALID_RANGE"),
        ("Document_Name__c", "d" * 256, "STRING_TOO_LONG"),
        ("Statistics_URL__c", "https://x.example/" + "s" * 238, "STRING_TOO_LONG"),
        ("Visitor_Email__c", "not an email", "INVALID_EMAIL_ADDRESS"),
        ("Visitor_Email__c", f"{'v' * 70}@acme.example", "STRING_TOO_LONG"),
        ("Visitors__c", "v" * 32769, "STRING_TOO_LONG"),
    ],
)
def test_values_outside_a_fields_limits_are_refused(api, field, value, code):
    response = api.post("sobjects/Task", json={field: value})

    assert _error(response) == (code, [field])
    assert api.emulator.store.count("Task") == 0


def test_the_limits_themselves_are_accepted(api):
    body = {"Percent_Viewed__c": 999.99, "Duration_Seconds__c": 999_999_999_999_999,
            "Document_Name__c": "d" * 255, "Visitors__c": "v" * 32768}  # fmt: skip

    assert api.post("sobjects/Task", json=body).status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Duration_Seconds__c", "ten minutes"),
        ("Duration_Seconds__c", True),
        ("Percent_Viewed__c", "62%"),
        ("Follow_Up_Date__c", "2030-02-30"),
        ("Follow_Up_Date__c", "2030-02-01T10:00:00Z"),
    ],
)
def test_values_of_the_wrong_type_are_refused(api, field, value):
    single = api.post("sobjects/Task", json={field: value})
    records = [{"attributes": {"type": "Task"}, field: value}]
    collection = api.post("composite/sobjects", json={"records": records}).json()

    assert _error(single)[0] == "JSON_PARSER_ERROR"
    assert collection[0]["errors"][0]["statusCode"] == "INVALID_TYPE_ON_FIELD_IN_RECORD"
    assert api.emulator.store.count("Task") == 0


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_not_json(api, constant):
    body = f'{{"Percent_Viewed__c": {constant}}}'

    response = api.post("sobjects/Task", data=body, headers={"Content-Type": "application/json"})

    assert _error(response)[0] == "JSON_PARSER_ERROR"
    assert api.emulator.store.count("Task") == 0


@pytest.fixture
def api_without_task_external_id(emulator_without_task_external_id) -> ApiClient:
    session = new_session(emulator_without_task_external_id)
    token = password_login(emulator_without_task_external_id, session).json()["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    return ApiClient(emulator_without_task_external_id, session)


def test_an_org_without_the_task_external_id_has_no_such_field(api_without_task_external_id):
    api = api_without_task_external_id
    fields = _task_fields(api)
    lead = {field["name"] for field in api.get("sobjects/Lead/describe").json()["fields"]}

    upsert = api.patch("sobjects/Task/CRMBridge_Id__c/visit-9", json={"Subject": "Visit"})
    written = api.post("sobjects/Task", json={"CRMBridge_Id__c": "visit-9"})

    assert "CRMBridge_Id__c" not in fields
    assert "Percent_Viewed__c" in fields  # the tracking fields are there all the same
    assert "CRMBridge_Id__c" in lead  # only Task lacks it
    assert upsert.status_code == 404
    assert upsert.json()[0]["errorCode"] == "NOT_FOUND"
    assert _error(written) == ("INVALID_FIELD", ["CRMBridge_Id__c"])
    assert api.emulator.store.count("Task") == 0


def test_an_org_without_the_task_external_id_keeps_it_out_after_a_reset(
    emulator_without_task_external_id,
):
    emulator_without_task_external_id.set_state_country_picklists(True)

    task = emulator_without_task_external_id.store.schema.get("Task")

    assert task.field("CRMBridge_Id__c") is None
    assert emulator_without_task_external_id.store.schema.get("Lead").field("CountryCode")


def test_the_default_org_has_the_task_external_id(api):
    assert _task_fields(api)["CRMBridge_Id__c"]["externalId"] is True

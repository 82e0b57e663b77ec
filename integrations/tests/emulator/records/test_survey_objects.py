"""Case and the custom Survey_Response__c object: auto numbers, the closed flag, lookups,
the external id, and what describe() says about them."""

import pytest

from integrations.emulator.errors import ApiError
from integrations.emulator.records.store import Store


@pytest.fixture
def store():
    return Store()


def test_case_gets_a_case_number_and_is_closed_follows_status(store):
    contact_id = store.insert("Contact", {"LastName": "Kundin", "Email": "k@example.com"})
    first = store.insert("Case", {"Subject": "Printer", "ContactId": contact_id})
    second = store.insert("Case", {"Subject": "Scanner"})
    store.update("Case", first, {"Status": "Closed"})

    closed, other = store.get("Case", first), store.get("Case", second)
    assert closed["IsClosed"] is True
    assert other["Status"] == "New"
    assert other["IsClosed"] is False
    assert closed["CaseNumber"] != other["CaseNumber"]
    assert closed["CaseNumber"].isdigit()


def test_case_number_and_is_closed_cannot_be_written(store):
    with pytest.raises(ApiError) as raised:
        store.insert("Case", {"Subject": "X", "CaseNumber": "1"})

    assert raised.value.error_code == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_survey_response_links_case_and_contact_and_is_named_by_auto_number(store):
    contact_id = store.insert("Contact", {"LastName": "Kundin"})
    case_id = store.insert("Case", {"Subject": "Printer", "ContactId": contact_id})
    response_id = store.insert("Survey_Response__c", {
        "NPS__c": 9, "Case__c": case_id, "Contact__c": contact_id, "Response_Id__c": "r-1",
    })  # fmt: skip

    response = store.get("Survey_Response__c", response_id)
    assert response["Name"].startswith("SR-")
    assert (response["Case__c"], response["Contact__c"]) == (case_id, contact_id)
    assert response["NPS__c"] == 9


def test_survey_response_lookup_must_point_at_a_case(store):
    contact_id = store.insert("Contact", {"LastName": "Kundin"})

    with pytest.raises(ApiError) as raised:
        store.insert("Survey_Response__c", {"Case__c": contact_id})

    assert raised.value.error_code in {"FIELD_INTEGRITY_EXCEPTION", "INVALID_CROSS_REFERENCE_KEY"}


def test_survey_response_nps_holds_two_digits(store):
    with pytest.raises(ApiError) as raised:
        store.insert("Survey_Response__c", {"NPS__c": 100})

    assert raised.value.error_code == "NUMBER_OUTSIDE_VALID_RANGE"


def test_survey_response_upserts_by_response_id(store):
    first, created = store.upsert("Survey_Response__c", "Response_Id__c", "r-1", {"NPS__c": 3})
    again, created_again = store.upsert(
        "Survey_Response__c", "Response_Id__c", "r-1", {"NPS__c": 4}
    )

    assert (created, created_again, first) == (True, False, again)
    assert store.get("Survey_Response__c", first)["NPS__c"] == 4


def test_describe_marks_the_custom_object_and_auto_numbers(sf_client):
    described = sf_client.describe("Survey_Response__c")
    fields = {field["name"]: field for field in described["fields"]}

    assert described["custom"] is True
    assert fields["Name"]["autoNumber"] is True
    assert fields["Name"]["createable"] is False
    assert fields["Response_Id__c"]["externalId"] is True
    assert fields["Case__c"]["referenceTo"] == ["Case"]
    assert sf_client.describe("Case")["custom"] is False
    assert sf_client.fields("Case")["CaseNumber"]["autoNumber"] is True

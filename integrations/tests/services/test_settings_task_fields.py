"""The activity field map against the org's Task describe(): exists, custom, writable, fits."""

import pytest

from integrations.exceptions import ConfigurationError
from integrations.services.settings_task_fields import (
    activity_field_map_check,
    fitting_fields,
    task_field_problems,
)
from integrations.sync.activities.attributes import ACTIVITY_ATTRIBUTES, EMAIL, NUMBER, TEXT, URL

# Every attribute mapped to the emulated org's tracking field made for it.
FULL_MAP = {
    "visits": {
        "document_name": "Document_Name__c", "account_name": "Account_Name__c",
        "duration_seconds": "Duration_Seconds__c", "percent_viewed": "Percent_Viewed__c",
        "statistics_url": "Statistics_URL__c", "visitor_email": "Visitor_Email__c",
    },
    "links": {
        "document_name": "Document_Name__c", "account_name": "Account_Name__c",
        "document_url": "Document_URL__c", "internal_url": "Internal_URL__c",
        "external_url": "External_URL__c", "visitors": "Visitors__c",
    },
    "rooms": {
        "room_name": "Room_Name__c", "account_name": "Account_Name__c",
        "room_url": "Room_URL__c", "internal_url": "Internal_URL__c",
    },
}  # fmt: skip


def described(name, kind="string", **overrides) -> dict:
    return {"name": name, "type": kind, "custom": True, "createable": True, "updateable": True,
            "calculated": False, **overrides}  # fmt: skip


def problems_for(attribute_field: str, field: dict, *, kind="visits", attribute="percent_viewed"):
    field_map = {kind: {attribute: attribute_field}}
    return task_field_problems(field_map=field_map, fields={field["name"]: field})


def test_the_full_map_fits_the_orgs_tracking_fields(sf_client):
    assert activity_field_map_check(field_map=FULL_MAP, client=sf_client) == []


def test_the_full_map_names_every_attribute():
    assert {kind: set(fields) for kind, fields in FULL_MAP.items()} == {
        kind: set(attributes) for kind, attributes in ACTIVITY_ATTRIBUTES.items()
    }


@pytest.mark.parametrize(
    ("kind", "attribute", "field", "message"),
    [
        ("visits", "percent_viewed", "Follow_Up_Date__c",
         "Task.Follow_Up_Date__c is a date field; use a number or text field."),
        ("visits", "visitor_email", "Duration_Seconds__c",
         "Task.Duration_Seconds__c is a number field; use an email or text field."),
        ("links", "document_url", "Percent_Viewed__c",
         "Task.Percent_Viewed__c is a percent field; use a URL or text field."),
        ("rooms", "room_name", "Room_URL__c",
         "Task.Room_URL__c is a URL field; use a text field."),
        ("links", "visitors", "Engagement_Score__c",
         "Task.Engagement_Score__c is a formula field, which cannot be written: map another "
         "field."),
        ("visits", "document_name", "CRMBridge_Id__c",
         "Task.CRMBridge_Id__c is CRM Bridge's own external-id field: map another field."),
        ("visits", "document_name", "Subject",
         "Task.Subject is a standard field: map a custom field (its API name ends in __c)."),
        ("visits", "duration_seconds", "Duration__c",
         "Task has no field “Duration__c”. Check the API name (custom fields end in __c; create "
         "them on the Activity object) and the integration user's field-level security."),
        ("visits", "duration_seconds", "duration_seconds__c",
         "Task has no field “duration_seconds__c”; the API name is Duration_Seconds__c."),
    ],
)  # fmt: skip
def test_a_field_that_does_not_fit_is_named_with_kind_and_attribute(
    sf_client, kind, attribute, field, message
):
    field_map = {kind: {attribute: field}}
    field_map.setdefault("rooms", {}).setdefault("room_url", "Room_URL__c")  # one that fits

    problems = activity_field_map_check(field_map=field_map, client=sf_client)

    assert problems == [(f"{kind}.{attribute}", message)]


def test_every_problem_of_the_map_is_listed_in_its_order(sf_client):
    field_map = {
        "visits": {"percent_viewed": "Follow_Up_Date__c", "document_name": "Document_Name__c"},
        "links": {"visitors": "Nope__c"},
    }

    problems = activity_field_map_check(field_map=field_map, client=sf_client)

    assert [where for where, _ in problems] == ["visits.percent_viewed", "links.visitors"]


def test_a_field_the_integration_user_cannot_edit_is_refused():
    for read_only in ({"createable": False}, {"updateable": False}):
        field = described("Viewed__c", "percent", **read_only)

        (problem,) = problems_for("Viewed__c", field)

        assert problem == (
            "visits.percent_viewed",
            "Task.Viewed__c is read-only for the integration user (it must be createable and "
            "updateable): grant edit access to the field, or map another.",
        )


def test_each_attribute_takes_the_types_it_fits():
    assert problems_for("Viewed__c", described("Viewed__c", "currency")) == []
    assert problems_for("Viewed__c", described("Viewed__c", "int")) == []
    assert problems_for("Viewed__c", described("Viewed__c", "string")) == []
    assert problems_for("Viewed__c", described("Viewed__c", "textarea")) != []
    assert problems_for("V__c", described("V__c", "textarea"), attribute="visitor_email") == []
    assert problems_for("V__c", described("V__c", "picklist"), attribute="visitor_email") == [
        ("visits.visitor_email", "Task.V__c is a picklist field; use an email or text field.")
    ]


def test_fitting_fields_are_said_in_words():
    assert fitting_fields(NUMBER) == "a number or text field"
    assert fitting_fields(URL) == "a URL or text field"
    assert fitting_fields(EMAIL) == "an email or text field"
    assert fitting_fields(TEXT) == "a text field"


def test_the_check_needs_a_connected_org(db):
    with pytest.raises(ConfigurationError):
        activity_field_map_check(field_map=FULL_MAP)


def test_a_describe_that_fails_is_one_plain_problem(sf_client, emulator):
    emulator.faults.inject("missing", times=5, path_contains="sobjects/Task/describe")

    ((where, message),) = activity_field_map_check(field_map=FULL_MAP, client=sf_client)

    assert where == ""
    assert message.startswith("Could not read the Task fields from Salesforce:")


def test_the_connected_org_is_used_without_a_client(connection):
    problems = activity_field_map_check(field_map={"visits": {"percent_viewed": "Nope__c"}})

    assert [where for where, _ in problems] == ["visits.percent_viewed"]

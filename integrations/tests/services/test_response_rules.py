"""Checking response rules and Web-to-Lead against the org's describe()."""

from __future__ import annotations

import pytest

from integrations.models import FieldAssignment, WebToLead
from integrations.models.response_mappings import OnExistingPerson, ValueSource
from integrations.services.response_rules import response_rules_check
from integrations.tests.services.response_data import rule_create, survey_create

ANSWER, EMBEDDED, CONSTANT = ValueSource.ANSWER, ValueSource.EMBEDDED, ValueSource.CONSTANT


@pytest.fixture
def survey(db):
    return survey_create()


def messages(survey, sf_client):
    return [message for _where, message in response_rules_check(survey=survey, client=sf_client)]


def test_good_rules_have_no_problems(sf_client, survey):
    rule_create(survey, "insert", "Survey_Response__c", fields=[
        ("NPS__c", ANSWER, "nps"), ("Rating__c", ANSWER, "rating"),
        ("Comment__c", ANSWER, "comment"), ("Case__c", EMBEDDED, "Case.Id"),
    ])  # fmt: skip
    rule_create(survey, "update", "Case", record_id_key="Case.Id", fields=[
        ("Status", CONSTANT, "Closed"), ("Subject", ANSWER, "reason"),
    ])  # fmt: skip
    rule_create(survey, "upsert", "Survey_Response__c", external_id_field="Response_Id__c",
                external_id_source=ValueSource.RESPONSE_ID)  # fmt: skip
    rule_create(survey, "delete", "Case", record_id_key="Case.Id")

    assert response_rules_check(survey=survey, client=sf_client) == []


def test_unknown_object(sf_client, survey):
    rule_create(survey, "insert", "Survey_Answer__c")

    assert messages(survey, sf_client) == ["Salesforce has no object “Survey_Answer__c”."]


def test_object_that_does_not_allow_the_operation(sf_client, survey):
    rule_create(survey, "delete", "User", record_id_key="Owner.Id")

    assert messages(survey, sf_client) == ["Salesforce does not let User records be deleted."]


def test_unknown_and_read_only_fields(sf_client, survey):
    rule_create(survey, "update", "Case", record_id_key="Case.Id", fields=[
        ("Colour__c", CONSTANT, "red"), ("CaseNumber", CONSTANT, "1"),
        ("IsClosed", CONSTANT, "true"),
    ])  # fmt: skip

    assert messages(survey, sf_client) == [
        "Case has no field “Colour__c”.",
        "Case.CaseNumber cannot be updated (it is read-only there).",
        "Case.IsClosed cannot be updated (it is read-only there).",
    ]


def test_answers_must_fit_the_field_type(sf_client, survey):
    rule_create(survey, "insert", "Survey_Response__c", fields=[
        ("Comment__c", ANSWER, "nps"), ("NPS__c", ANSWER, "comment"),
        ("Case__c", ANSWER, "reason"), ("Rating__c", ANSWER, "missing"),
    ])  # fmt: skip

    assert messages(survey, sf_client) == [
        "Survey_Response__c.Comment__c is a textarea field; a Net Promoter Score (0–10) answer "
        "does not fit it.",
        "Survey_Response__c.NPS__c is a double field; a Text answer does not fit it.",
        "Survey_Response__c.Case__c is a reference field; a Single choice answer does not fit it.",
        "Survey_Response__c.Rating__c: the survey has no question “missing”.",
    ]


def test_constants_must_fit(sf_client, survey):
    rule_create(survey, "insert", "Survey_Response__c", fields=[("NPS__c", CONSTANT, "viel")])

    assert messages(survey, sf_client) == [
        "Survey_Response__c.NPS__c is a number field; “viel” is not a number."
    ]


def test_upsert_needs_an_external_id_field(sf_client, survey):
    rule_create(survey, "upsert", "Case", external_id_field="Subject",
                external_id_source=ValueSource.RESPONSE_ID)  # fmt: skip

    assert messages(survey, sf_client) == [
        "Case.Subject is not an external id: an upsert matches on an external-id field (mark it "
        "External ID in Salesforce)."
    ]


def test_update_needs_the_record_id_key(sf_client, survey):
    rule_create(survey, "update", "Case", fields=[("Status", CONSTANT, "Closed")])

    assert messages(survey, sf_client) == [
        "Say which embedded data key holds the record's id (e.g. Case.Id)."
    ]


def test_web_to_lead_needs_email_and_writable_lead_fields(sf_client, survey):
    settings = WebToLead.objects.create(survey=survey, on_existing=OnExistingPerson.UPDATE)
    FieldAssignment.objects.create(
        web_to_lead=settings, salesforce_field="IsConverted", source=CONSTANT, value="true"
    )

    assert response_rules_check(survey=survey, client=sf_client) == [
        ("Web-to-Lead", "Lead.IsConverted cannot be created (it is read-only there)."),
        ("Web-to-Lead", "Lead.IsConverted cannot be updated (it is read-only there)."),
        ("Web-to-Lead", "Map the Lead's Email: it is how an existing person is found."),
    ]

"""The response rules' admin: rules with their fields are checked against describe()."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import ResponseRule
from integrations.tests.services.response_data import survey_create

ADD = reverse("admin:integrations_responserule_add")


@pytest.fixture
def survey(db):
    return survey_create()


def form_data(survey, *, sobject="Survey_Response__c", operation="insert", fields=()):
    data = {
        "survey": survey.pk, "position": 0, "name": "", "operation": operation,
        "salesforce_object": sobject, "record_id_key": "", "external_id_field": "",
        "external_id_source": "", "external_id_value": "", "enabled": "on",
        "assignments-TOTAL_FORMS": len(fields), "assignments-INITIAL_FORMS": 0,
        "condition_groups-TOTAL_FORMS": 0, "condition_groups-INITIAL_FORMS": 0,
    }  # fmt: skip
    for index, (name, source, value) in enumerate(fields):
        data |= {
            f"assignments-{index}-salesforce_field": name,
            f"assignments-{index}-source": source,
            f"assignments-{index}-value": value,
        }
    return data


def test_a_good_rule_is_saved(admin_client, connection, survey):
    fields = [("NPS__c", "answer", "nps"), ("Case__c", "embedded", "Case.Id")]
    data = form_data(survey, fields=fields)

    response = admin_client.post(ADD, data)

    assert response.status_code == 302
    rule = ResponseRule.objects.get()
    assert [a.salesforce_field for a in rule.assignments.all()] == ["NPS__c", "Case__c"]


def test_an_unknown_object_is_a_form_error(admin_client, connection, survey):
    response = admin_client.post(ADD, form_data(survey, sobject="Nope__c"))

    assert response.status_code == 200
    assert "Salesforce has no object “Nope__c”." in response.content.decode()
    assert not ResponseRule.objects.exists()


def test_a_field_the_answer_does_not_fit_is_a_form_error(admin_client, connection, survey):
    data = form_data(survey, fields=[("Case__c", "answer", "comment")])

    response = admin_client.post(ADD, data)

    assert response.status_code == 200
    assert "Survey_Response__c.Case__c is a reference field" in response.content.decode()
    assert not ResponseRule.objects.exists()


def test_without_a_connection_the_rule_is_not_saved(admin_client, survey):
    response = admin_client.post(ADD, form_data(survey))

    assert response.status_code == 200
    assert "Connect Salesforce first" in response.content.decode()


@pytest.mark.browser
def test_rule_page_shows_the_describe_problem(browser_page, connection, transactional_db):
    survey = survey_create()
    page = browser_page
    page.goto(ADD)
    page.select_option("#id_survey", str(survey.pk))
    page.select_option("#id_operation", "insert")
    page.fill("#id_salesforce_object", "Survey_Response__c")
    page.fill("#id_assignments-0-salesforce_field", "NPS__c")
    page.select_option("#id_assignments-0-source", "answer")
    page.fill("#id_assignments-0-value", "comment")
    with page.expect_navigation():
        page.click("input[name=_save]")

    assert page.get_by_text("Please correct the error below.").is_visible()
    assert page.get_by_text("a Text answer does not fit it").is_visible()

"""Web-to-Lead from survey responses: a Lead when the conditions hold, never a duplicate."""

from __future__ import annotations

import pytest

from integrations.choices import EventStatus, Operation, RuleOperator
from integrations.models import ConditionGroup, FieldAssignment, ResponseCondition, WebToLead
from integrations.models.response_mappings import ConditionSource, OnExistingPerson, ValueSource
from integrations.services.response_mapping import response_mapping_run
from integrations.tests.services.response_data import response_create, survey_create
from tracking.models import SyncEvent

EMAIL = "neu@example.com"


@pytest.fixture
def web_to_lead(db):
    settings = WebToLead.objects.create(survey=survey_create())
    for name, source, value in [
        ("Email", ValueSource.RECIPIENT_EMAIL, ""),
        ("LastName", ValueSource.EMBEDDED, "last_name"),
        ("Company", ValueSource.EMBEDDED, "company"),
        ("Description", ValueSource.ANSWER, "comment"),
        ("LeadSource", ValueSource.CONSTANT, "Web"),
    ]:
        FieldAssignment.objects.create(
            web_to_lead=settings, salesforce_field=name, source=source, value=value
        )
    group = ConditionGroup.objects.create(web_to_lead=settings, mode="all")
    ResponseCondition.objects.create(
        group=group, source=ConditionSource.ANSWER, key="nps", operator=RuleOperator.IN,
        value="9,10",
    )  # fmt: skip
    return settings


def respond(web_to_lead, nps=10):
    embedded = {"last_name": "Neumann", "company": "Neu GmbH"}
    return response_create(
        web_to_lead.survey, answers={"nps": nps, "comment": "Gern mehr"}, embedded=embedded,
        email=EMAIL,
    )  # fmt: skip


def history(response):
    return [
        (event.salesforce_object, event.operation, event.status)
        for event in SyncEvent.objects.filter(object_id=response.pk).order_by("pk")
    ]


def test_nobody_with_the_email_gets_a_lead_once(connection, emulator, web_to_lead):
    response = respond(web_to_lead)

    response_mapping_run(response=response)
    response_mapping_run(response=response)  # a retry, or a task delivered twice

    (lead,) = emulator.store.all("Lead")
    assert (lead["Email"], lead["LastName"], lead["Company"]) == (EMAIL, "Neumann", "Neu GmbH")
    assert lead["LeadSource"] == "Web"
    assert history(response) == [("Lead", Operation.CREATE, EventStatus.OK)]
    assert response.sync_values["web_to_lead"] == lead["Id"]


def test_conditions_that_do_not_hold_make_no_lead(connection, emulator, web_to_lead):
    response_mapping_run(response=respond(web_to_lead, nps=5))

    assert emulator.store.all("Lead") == []


def test_existing_contact_is_left_alone(connection, emulator, web_to_lead):
    contact_id = emulator.store.insert("Contact", {"LastName": "Alt", "Email": EMAIL.upper()})
    response = respond(web_to_lead)

    response_mapping_run(response=response)

    assert emulator.store.all("Lead") == []
    assert emulator.store.get("Contact", contact_id)["LastName"] == "Alt"
    assert history(response) == [("Contact", Operation.MATCH, EventStatus.OK)]


def test_existing_contact_is_updated_with_the_fields_it_has(connection, emulator, web_to_lead):
    web_to_lead.on_existing = OnExistingPerson.UPDATE
    web_to_lead.save()
    contact_id = emulator.store.insert("Contact", {"LastName": "Alt", "Email": EMAIL})
    response = respond(web_to_lead)

    response_mapping_run(response=response)

    contact = emulator.store.get("Contact", contact_id)
    assert (contact["LastName"], contact["Description"]) == ("Neumann", "Gern mehr")
    assert emulator.store.all("Lead") == []
    assert history(response) == [("Contact", Operation.UPDATE, EventStatus.OK)]


def test_existing_lead_is_updated_not_duplicated(connection, emulator, web_to_lead):
    web_to_lead.on_existing = OnExistingPerson.UPDATE
    web_to_lead.save()
    lead_id = emulator.store.insert(
        "Lead", {"LastName": "Alt", "Company": "Alt AG", "Email": EMAIL}
    )
    response = respond(web_to_lead)

    response_mapping_run(response=response)

    (lead,) = emulator.store.all("Lead")
    assert (lead["Id"], lead["Company"], lead["Description"]) == (lead_id, "Neu GmbH", "Gern mehr")
    assert history(response) == [("Lead", Operation.UPDATE, EventStatus.OK)]


def test_existing_lead_is_left_alone(connection, emulator, web_to_lead):
    lead_id = emulator.store.insert(
        "Lead", {"LastName": "Alt", "Company": "Alt AG", "Email": EMAIL}
    )
    response = respond(web_to_lead)

    response_mapping_run(response=response)

    (lead,) = emulator.store.all("Lead")
    assert (lead["Id"], lead["Company"]) == (lead_id, "Alt AG")
    assert history(response) == [("Lead", Operation.MATCH, EventStatus.OK)]


def test_a_converted_lead_is_no_match(connection, emulator, web_to_lead):
    lead_id = emulator.store.insert(
        "Lead", {"LastName": "Alt", "Company": "Alt AG", "Email": "other@example.com"}
    )
    emulator.store.convert_lead(lead_id)
    emulator.store.update("Lead", lead_id, {"Email": EMAIL}, system=True)
    # The conversion made a Contact with the old address; ours is nobody's yet.
    response_mapping_run(response=respond(web_to_lead))

    assert [lead["Id"] != lead_id for lead in emulator.store.all("Lead")].count(True) == 1

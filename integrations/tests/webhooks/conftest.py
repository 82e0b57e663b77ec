"""A survey trigger on closed Cases, and a closed Case with its Contact in the emulated org."""

from __future__ import annotations

import pytest

from integrations.tests.factories import SurveyTriggerFactory, TriggerConditionFactory


@pytest.fixture
def trigger(connection):
    trigger = SurveyTriggerFactory(email_field="Contact.Email")
    TriggerConditionFactory(trigger=trigger, field="Status", operator="equals", value="Closed")
    return trigger


@pytest.fixture
def contact_id(emulator):
    return emulator.store.insert("Contact", {"LastName": "Lovelace", "Email": "Ada@Example.com"})


@pytest.fixture
def closed_case(emulator, contact_id):
    return emulator.store.insert(
        "Case", {"Subject": "Printer", "ContactId": contact_id, "Status": "Closed"}
    )

"""Opportunities → the local mirror, and the Closed Won lifecycle transition."""

import pytest
from django.utils import timezone

from integrations.tests.sync.helpers import run_cycle
from tracking.choices import LifecycleStage, SalesforceObject
from tracking.models import Opportunity

pytestmark = pytest.mark.django_db


def buyer_on_a_deal(sync_settings, emulator, make_contact, *, stage, transition=True):
    """A synced contact with an SQL lifecycle stage, on a Salesforce opportunity."""
    sync_settings.opportunity_sync = True
    sync_settings.lifecycle_on_closed_won = transition
    sync_settings.new_record_type = SalesforceObject.CONTACT
    sync_settings.save()
    contact = make_contact("buyer@example.com", lifecycle_stage=LifecycleStage.SQL)
    run_cycle()
    contact.refresh_from_db()
    deal = emulator.store.insert(
        "Opportunity", {"Name": "Deal", "StageName": stage, "CloseDate": timezone.now().date()}
    )
    emulator.store.insert(
        "OpportunityContactRole", {"OpportunityId": deal, "ContactId": contact.salesforce_id}
    )
    run_cycle()
    contact.refresh_from_db()
    return contact, deal


def test_closed_won_makes_contacts_customers(sync_settings, emulator, make_contact):
    contact, deal = buyer_on_a_deal(sync_settings, emulator, make_contact, stage="Prospecting")
    assert contact.lifecycle_stage == LifecycleStage.SQL
    emulator.store.update("Opportunity", deal, {"StageName": "Closed Won", "Amount": 5000})
    run_cycle()
    contact.refresh_from_db()
    opportunity = Opportunity.objects.get(salesforce_id=deal)
    assert opportunity.is_won
    assert opportunity.amount == 5000
    assert list(opportunity.contacts.all()) == [contact]
    assert contact.lifecycle_stage == LifecycleStage.CUSTOMER


def test_lifecycle_transition_can_be_switched_off(sync_settings, emulator, make_contact):
    contact, _ = buyer_on_a_deal(
        sync_settings, emulator, make_contact, stage="Closed Won", transition=False
    )
    assert contact.lifecycle_stage == LifecycleStage.SQL

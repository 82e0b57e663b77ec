"""Opportunities → the local mirror, the Closed Won lifecycle transition, and a won deal's
value read from the won value field."""

import pytest
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.emulator.records.objects import WON_VALUE_FIELD
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import LifecycleStage, SalesforceObject
from tracking.models import Opportunity, SyncEvent

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


def test_unchanged_opportunities_are_not_updated_again(sync_settings, emulator, make_contact):
    # given: a deal with its contact, mirrored; accounts and opportunities synced
    sync_settings.account_sync = True
    sync_settings.save()
    _, deal = buyer_on_a_deal(sync_settings, emulator, make_contact, stage="Prospecting")
    opportunity = Opportunity.objects.get(salesforce_id=deal)
    history = SyncEvent.objects.filter(object_id=opportunity.pk, content_type__model="opportunity")
    before = history.count()
    emulator.reset_stats()
    # when: a cycle with nothing changed anywhere
    run = run_cycle()
    # then: one query per enabled object (Account, Lead, Contact, Opportunity), no roles read,
    # and no empty history row
    assert run.counts.get("Opportunity", {}).get("updated", 0) == 0
    assert history.count() == before
    assert emulator.api_calls_by_path("OpportunityContactRole") == 0
    assert emulator.api_calls == 4


def test_a_changed_opportunity_is_updated_once(sync_settings, emulator, make_contact):
    _, deal = buyer_on_a_deal(sync_settings, emulator, make_contact, stage="Prospecting")
    emulator.store.update("Opportunity", deal, {"Amount": 1200})
    run_cycle()
    run_cycle()
    opportunity = Opportunity.objects.get(salesforce_id=deal)
    updates = SyncEvent.objects.filter(
        object_id=opportunity.pk, content_type__model="opportunity", operation="update"
    )
    assert opportunity.amount == 1200
    assert updates.count() == 1


def test_a_won_deal_takes_its_value_from_the_won_value_field(sync_settings, emulator):
    # given: won values kept in a custom currency field
    sync_settings.opportunity_sync = True
    sync_settings.won_value_field = WON_VALUE_FIELD
    sync_settings.save()
    today = timezone.now().date()
    won = emulator.store.insert(
        "Opportunity",
        {
            "Name": "Won",
            "StageName": "Closed Won",
            "CloseDate": today,
            "Amount": 1000,
            WON_VALUE_FIELD: 1250,
        },
    )
    open_deal = emulator.store.insert(
        "Opportunity",
        {
            "Name": "Open",
            "StageName": "Prospecting",
            "CloseDate": today,
            "Amount": 500,
            WON_VALUE_FIELD: 700,
        },
    )

    run_cycle()

    # then: the won deal's value from that field, the open one's from Amount
    assert Opportunity.objects.get(salesforce_id=won).amount == 1250
    assert Opportunity.objects.get(salesforce_id=open_deal).amount == 500


def test_not_sure_reads_a_won_deal_s_value_from_amount(sync_settings, emulator):
    sync_settings.opportunity_sync = True
    sync_settings.save()
    won = emulator.store.insert("Opportunity", {"Name": "Won", "StageName": "Closed Won",
                                "CloseDate": timezone.now().date(), "Amount": 1000,
                                WON_VALUE_FIELD: 1250})  # fmt: skip

    run_cycle()

    assert Opportunity.objects.get(salesforce_id=won).amount == 1000


def test_a_won_value_field_the_org_lacks_fails_as_a_settings_problem(sync_settings):
    sync_settings.opportunity_sync = True
    sync_settings.won_value_field = "Booked_Value__c"
    sync_settings.save()

    run = run_cycle()

    assert run.status == RunStatus.FAILED
    assert "The won value field in the sync settings is Booked_Value__c" in run.error
    assert "(Pipeline)" in run.hint

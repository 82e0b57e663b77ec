"""The sync's answer to "why isn't this syncing", end to end: real cycles against the
emulator, read back through the ingestion API and the history page."""

import pytest
from django.utils import timezone

from integrations.models import InclusionRule
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import LifecycleStage
from tracking.tests.factories import CompanyFactory
from tracking.views.history import history_url

pytestmark = pytest.mark.django_db


def salesforce_of(read, email):
    return read("contacts", email=email)["results"][0]["salesforce"]


def only_sqls(sync_settings):
    sync_settings.inclusion_mode = "all"
    sync_settings.save()
    InclusionRule.objects.create(
        settings=sync_settings, field="lifecycle_stage", operator="equals",
        value=LifecycleStage.SQL,
    )  # fmt: skip


def test_a_contact_outside_the_inclusion_list_is_not_sent_and_says_why(
    sync_settings, make_contact, read, admin_client
):
    # given
    only_sqls(sync_settings)
    kept = make_contact("sql@example.com", lifecycle_stage=LifecycleStage.SQL)
    left_out = make_contact("sub@example.com", lifecycle_stage=LifecycleStage.SUBSCRIBER)
    # when
    run_cycle()
    # then
    assert salesforce_of(read, kept.email)["state"] == "synced"
    why = (
        "Not sent: outside the inclusion list: the rule “lifecycle stage is Sales qualified "
        "lead” does not match."
    )
    assert salesforce_of(read, left_out.email) == {
        "id": None, "object": None, "url": None, "synced_at": None, "state": "not_sent",
        "explanation": why,
        "not_sent": {"code": "outside_inclusion_list", "message": "outside the inclusion list"},
        "error": None,
    }  # fmt: skip
    html = admin_client.get(history_url(left_out)).content.decode()
    assert why in html


def test_a_linked_contact_that_falls_out_of_the_list_stopped_syncing(
    sync_settings, make_contact, read, admin_client, emulator
):
    # given: a contact synced as a Lead
    contact = make_contact("ada@example.com", lifecycle_stage=LifecycleStage.SUBSCRIBER)
    run_cycle()
    contact.refresh_from_db()
    assert salesforce_of(read, contact.email)["state"] == "synced"
    # when: the list now leaves it out, and it changes here
    only_sqls(sync_settings)
    contact.title = "CTO"
    contact.local_modified_at = timezone.now()
    contact.save()
    run_cycle()
    # then
    salesforce = salesforce_of(read, contact.email)
    assert (salesforce["state"], salesforce["id"]) == ("not_sent", contact.salesforce_id)
    assert salesforce["url"] == f"{emulator.url}/{contact.salesforce_id}"
    assert emulator.store.get("Lead", contact.salesforce_id)["Title"] != "CTO"
    html = admin_client.get(history_url(contact)).content.decode()
    assert "Stopped syncing: outside the inclusion list: the rule “lifecycle stage is " in html


def test_a_failed_send_is_an_error_until_fixed(sync_settings, make_contact, read):
    contact = make_contact("bad@[192.0.2.1]")  # stored before the API refused such addresses
    run_cycle()

    salesforce = salesforce_of(read, contact.email)
    assert salesforce["state"] == "error"
    assert salesforce["error"]["code"] == "INVALID_EMAIL_ADDRESS"
    assert "Correct it" in salesforce["error"]["hint"]

    contact.email = "fixed@example.com"
    contact.local_modified_at = timezone.now()
    contact.save()
    assert salesforce_of(read, contact.email)["state"] == "pending"
    run_cycle()
    assert salesforce_of(read, contact.email)["state"] == "synced"


def test_a_contact_without_a_last_name_is_not_sent_and_says_why(
    sync_settings, make_contact, read, admin_client
):
    contact = make_contact("nameless@example.com", last_name="")
    run_cycle()

    salesforce = salesforce_of(read, contact.email)
    assert salesforce["state"] == "not_sent"
    assert salesforce["not_sent"]["code"] == "needs_last_name"
    html = admin_client.get(history_url(contact)).content.decode()
    assert "Not sent: needs a last name (Salesforce requires one)." in html


def test_switches_that_are_off_say_so(sync_settings, make_contact, read):
    make_contact("ada@example.com")
    CompanyFactory(domain="acme.com")

    company = read("companies", domain="acme.com")["results"][0]["salesforce"]
    assert company["not_sent"]["code"] == "account_sync_off"
    sync_settings.sync_enabled = False
    sync_settings.save()
    assert salesforce_of(read, "ada@example.com")["not_sent"] == {
        "code": "sync_off", "message": "sync with Salesforce is off",
    }  # fmt: skip


def test_a_change_made_in_salesforce_is_listed_as_updated(
    sync_settings, make_contact, read, emulator
):
    # given: a synced contact, and a time after every write so far
    contact = make_contact("ada@example.com")
    run_cycle()
    contact.refresh_from_db()
    since = timezone.now()
    assert read("contacts", updated_since=since.isoformat())["results"] == []
    # when: sales changes the Lead in Salesforce and the sync reads it
    emulator.store.update("Lead", contact.salesforce_id, {"Title": "Head of Sales"})
    run_cycle()
    # then
    [changed] = read("contacts", updated_since=since.isoformat())["results"]
    assert (changed["id"], changed["title"]) == (contact.pk, "Head of Sales")
    assert changed["salesforce"]["state"] == "synced"


@pytest.mark.browser
def test_the_history_page_says_why_and_names_fields_both_ways_in_the_browser(
    sync_settings, make_contact, emulator, browser_page
):
    # given: a contact synced as a Lead, changed in Salesforce, then left out by the list
    contact = make_contact("ada@example.com", title="Engineer")
    run_cycle()
    contact.refresh_from_db()
    emulator.store.update("Lead", contact.salesforce_id, {"Title": "CTO"})
    run_cycle()
    only_sqls(sync_settings)
    # when
    page = browser_page
    page.goto(history_url(contact))
    # then: the state above the changes, and the field named alike in both directions
    sentence = page.locator("p.sync-state").inner_text()
    assert sentence.startswith("Stopped syncing: outside the inclusion list: the rule")
    rows = page.locator("table tbody tr")
    inbound = rows.filter(has_text="From Salesforce").first.inner_text()
    outbound = rows.filter(has_text="To Salesforce").first.inner_text()
    assert "Title (Title): Engineer → CTO" in inbound
    assert "Title (Title):" in outbound

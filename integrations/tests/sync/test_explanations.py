"""Why a record is in its state, in one sentence: real cycles against the emulator, read
back through the read API (`salesforce.explanation`) and the history page's first line."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.choices import Direction, MappingRule, Operation
from integrations.models import FieldMapping, InclusionRule, QuarantinedRecord, SalesforceConnection
from integrations.schedules import schedules_sync, sync_schedule
from integrations.services.safe_deletes import quarantined_record_restore
from integrations.sync.push import DEFERRED
from integrations.tests.sync.helpers import events, run_cycle
from tracking.choices import LifecycleStage
from tracking.explanations import moment
from tracking.models import Contact, SyncEvent
from tracking.tests.factories import ContactFactory, SyncEventFactory
from tracking.views.history import history_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def why(read, admin_client):
    """The contact's explanation, checked to be the same in the read API and on its page."""

    def why(contact):
        said = read("contacts", email=contact.email)["results"][0]["salesforce"]["explanation"]
        html = admin_client.get(history_url(contact)).content.decode()
        start = html.index('<p class="sync-state')
        sentence = html[html.index(">", start) + 1 : html.index("</p>", start)]
        assert sentence == said.replace("'", "&#x27;")
        return said

    return why


def linked(make_contact, email="ada@example.com", **fields):
    contact = make_contact(email, **fields)
    run_cycle()
    contact.refresh_from_db()
    return contact


def changed_here(contact, **fields):
    Contact.objects.filter(pk=contact.pk).update(local_modified_at=timezone.now(), **fields)
    contact.refresh_from_db()


def test_synced_says_which_side_won_each_field_and_by_which_rule(
    sync_settings, emulator, make_contact, why
):
    # given: Title goes to Salesforce only; Phone is two-way
    FieldMapping.objects.filter(salesforce_object="Lead", salesforce_field="Title").update(
        rule=MappingRule.TO_SALESFORCE
    )
    contact = linked(make_contact, title="Engineer")
    # when: Phone changes in Salesforce, then Title here
    emulator.store.update("Lead", contact.salesforce_id, {"Phone": "555"})
    run_cycle()
    changed_here(contact, title="CTO")
    run_cycle()
    contact.refresh_from_db()
    # then
    assert why(contact) == (
        f"Synced with Salesforce Lead {contact.salesforce_id} on "
        f"{moment(contact.salesforce_synced_at)}: Salesforce won Phone (two-way, most recent "
        "wins), this side won Title (to Salesforce only)."
    )


def test_a_record_created_by_the_sync_says_where_it_was_created(
    sync_settings, emulator, make_contact, why
):
    # given: one contact created in Salesforce from here, one Lead imported from there
    sent = linked(make_contact, first_name="Ada", title="CTO", phone="1", country="US")
    emulator.store.insert("Lead", {"LastName": "Vogel", "Company": "V", "Email": "v@example.com"})
    run_cycle()
    imported = Contact.objects.get(email="v@example.com")
    # then
    assert why(sent) == (
        f"Synced with Salesforce Lead {sent.salesforce_id} on {moment(sent.salesforce_synced_at)}"
        ": created in Salesforce from this record; both sides agree."
    )
    assert why(imported) == (
        f"Synced with Salesforce Lead {imported.salesforce_id} on "
        f"{moment(imported.salesforce_synced_at)}: created here from Salesforce; both sides agree."
    )


def test_many_changed_fields_are_named_a_few_then_counted(
    sync_settings, emulator, make_contact, why
):
    contact = linked(make_contact)
    emulator.store.update(
        "Lead", contact.salesforce_id,
        {"Phone": "555", "Title": "CTO", "City": "Paris", "Country": "FR", "FirstName": "Ada"},
    )  # fmt: skip
    run_cycle()
    contact.refresh_from_db()

    said = why(contact)

    assert said.startswith(f"Synced with Salesforce Lead {contact.salesforce_id} on ")
    assert ": Salesforce won " in said
    assert said.count("(two-way, most recent wins)") == 1  # named once for the fields it decided
    assert said.endswith((" and 1 more field.", " more fields."))


def test_synced_with_nothing_changed_says_both_sides_agree(sync_settings, make_contact, why):
    contact = linked(make_contact)
    SyncEvent.objects.all().delete()  # e.g. a history purged since

    assert why(contact) == (
        f"Synced with Salesforce Lead {contact.salesforce_id} on "
        f"{moment(contact.salesforce_synced_at)}; both sides agree."
    )


def test_waiting_says_when_the_next_run_is_expected(sync_settings, make_contact, why):
    schedules_sync()
    contact = make_contact("new@example.com")
    schedule = sync_schedule()

    assert why(contact) == (
        f"Waiting: not in Salesforce yet; the next sync run (expected around "
        f"{moment(schedule.next_run)}, every {schedule.minutes} minutes) creates it in Salesforce."
    )


def test_waiting_while_paused_by_the_api_cap_says_until_when_and_why(
    sync_settings, make_contact, why
):
    contact = linked(make_contact)
    changed_here(contact, title="CTO")
    until = timezone.now() + timedelta(hours=1)
    SalesforceConnection.load().pause(
        until=until, code="API_CAP_REACHED",
        message="CRM Bridge used 500 of its cap of 500 calls in 24 hours.", hint="",
    )  # fmt: skip

    assert why(contact) == (
        f"Waiting: calls to Salesforce are paused until {moment(until)} (CRM Bridge used 500 "
        "of its cap of 500 calls in 24 hours); the sync then sends the changes."
    )


def test_an_update_held_back_by_a_newer_salesforce_change_says_so(
    sync_settings, emulator, make_contact, why
):
    from integrations.services.connection import salesforce_client
    from integrations.sync.cycle import Cycle
    from integrations.sync.handlers.people import PeopleHandler
    from integrations.sync.recorder import Recorder

    # given: a linked contact changed here, and changed in Salesforce after the inbound read
    contact = linked(make_contact, title="Start")
    emulator.store.update("Lead", contact.salesforce_id, {"Title": "Remote"})
    changed_here(contact, phone="123")
    recorder = Recorder(None)
    cycle = Cycle(
        settings=sync_settings, client=salesforce_client(), recorder=recorder,
        read_since=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    # when: the push runs on its own
    PeopleHandler().push(cycle)
    recorder.flush()
    # then: one history event for the record held back, and its sentence says so
    [held] = events(contact, direction=Direction.OUTBOUND, operation=Operation.SKIP)
    assert (held.salesforce_id, held.error_message) == (contact.salesforce_id, DEFERRED)
    assert recorder.counts["Lead"]["skipped"] == 1
    assert why(contact).startswith(f"Waiting: held back on {moment(held.created_at)}, {DEFERRED}")
    # and the next full cycle sends it: synced again
    run_cycle()
    contact.refresh_from_db()
    assert why(contact).startswith("Synced with Salesforce Lead")


def only(sync_settings, mode, *rules):
    sync_settings.inclusion_mode = mode
    sync_settings.save()
    for field, operator, value in rules:
        InclusionRule.objects.create(
            settings=sync_settings, field=field, operator=operator, value=value
        )


COUNTRY_US = ("country", "equals", "US")
CUSTOMERS = ("lifecycle_stage", "equals", LifecycleStage.CUSTOMER)


def test_not_sent_names_the_inclusion_rule_that_does_not_match(sync_settings, make_contact, why):
    only(sync_settings, "all", COUNTRY_US, CUSTOMERS)
    american_lead = make_contact("lead@example.com", country="US", lifecycle_stage="lead")
    german_customer = make_contact("de@example.com", country="DE", lifecycle_stage="customer")

    assert why(american_lead) == (
        "Not sent: outside the inclusion list: the rule “lifecycle stage is Customer” does not "
        "match."
    )
    assert why(german_customer) == (
        "Not sent: outside the inclusion list: the rule “country is US” does not match."
    )


def test_with_any_rule_none_of_them_matches(sync_settings, make_contact, why):
    only(sync_settings, "any", COUNTRY_US, CUSTOMERS, ("email", "is_not_set", ""))
    contact = make_contact("lead@example.com", country="DE", lifecycle_stage="lead")

    assert why(contact) == (
        "Not sent: outside the inclusion list: none of its rules match (“country is US”, "
        "“lifecycle stage is Customer”, “email is unknown”)."
    )


def test_sync_off_and_no_last_name_are_not_sent(sync_settings, make_contact, why):
    nameless = make_contact("nameless@example.com", last_name="")
    assert why(nameless) == "Not sent: needs a last name (Salesforce requires one)."
    sync_settings.sync_enabled = False
    sync_settings.save()
    assert why(nameless) == "Not sent: sync with Salesforce is off."


def test_failed_says_the_error_in_plain_words_and_the_fix(sync_settings, make_contact, why):
    contact = make_contact("bad@[192.0.2.1]")  # stored before the API refused such addresses
    run_cycle()
    [failed] = events(contact, direction=Direction.OUTBOUND, operation=Operation.ERROR)

    said = why(contact)

    assert (
        said
        == f"Failed to send on {moment(failed.created_at)} (INVALID_EMAIL_ADDRESS): {failed.hint}"
    )
    assert "Correct it" in said


def test_deleted_in_salesforce_says_when_and_what_the_policy_did(
    sync_settings, emulator, make_contact, why
):
    contact = linked(make_contact)
    lead_id = contact.salesforce_id
    emulator.store.delete("Lead", lead_id)
    run_cycle()
    contact.refresh_from_db()
    [deletion] = events(contact, operation=Operation.DELETE)

    assert why(contact) == (
        f"Deleted in Salesforce on {moment(deletion.created_at)} (Salesforce Lead {lead_id}): "
        "the deletion policy kept this record here, unlinked, and it is no longer synced."
    )


def contacts_in_every_state(count, start):
    """`count` contacts per state: synced with changes, waiting, failed, left out, deleted."""
    for n in range(start, start + count):
        synced = ContactFactory(
            email=f"synced{n}@example.com", country="US", salesforce_id=f"00Q{n:015d}",
            salesforce_object="Lead", salesforce_synced_at=timezone.now(),
        )  # fmt: skip
        SyncEventFactory(record=synced, changes=[{"field": "title", "old": "a", "new": "b"}])
        SyncEventFactory(record=synced, direction=Direction.INBOUND,
                         changes=[{"field": "phone", "old": "1", "new": "2"}])  # fmt: skip
        ContactFactory(email=f"waiting{n}@example.com", country="US")
        failed = ContactFactory(
            email=f"failed{n}@example.com", country="US", local_modified_at=None
        )
        SyncEventFactory(record=failed, operation=Operation.ERROR, status="error", error_code="X")
        ContactFactory(email=f"outside{n}@example.com", country="DE")
        gone = ContactFactory(email=f"gone{n}@example.com", deleted_in_salesforce=True)
        SyncEventFactory(record=gone, direction=Direction.INBOUND, operation=Operation.DELETE)


def test_a_page_of_many_records_costs_as_many_queries_as_a_page_of_few(
    sync_settings, read, django_assert_max_num_queries
):
    # given: records in every state, and the inclusion list naming its rule for some
    schedules_sync()
    only(sync_settings, "all", COUNTRY_US)
    contacts_in_every_state(1, 0)
    read("contacts", limit=5)  # content types and the like are cached from here on
    # when
    with django_assert_max_num_queries(20) as few:
        small = read("contacts", limit=5)["results"]
    contacts_in_every_state(40, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = read("contacts", limit=200)["results"]
    # then: every state explained on the large page, with the same number of queries
    assert len(small) == 5
    assert len(large) == 200
    said = {item["salesforce"]["state"]: item["salesforce"]["explanation"] for item in large}
    assert set(said) == {"synced", "pending", "error", "not_sent", "deleted_in_salesforce"}
    assert "Salesforce won Phone (two-way, most recent wins)" in said["synced"]
    assert "the rule “country is US” does not match" in said["not_sent"]


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_the_sentence_leads_the_history_page_in_the_browser(
    sync_settings, emulator, make_contact, browser_page, width, height
):
    # given: a contact changed on both sides since it was created in Salesforce
    contact = linked(make_contact, title="Engineer")
    emulator.store.update("Lead", contact.salesforce_id, {"Phone": "555"})
    run_cycle()
    changed_here(contact, title="CTO")
    run_cycle()
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    # when
    page.goto(history_url(contact))
    # then: the sentence is the first thing under the title, whole, and the page fits
    sentence = page.locator("p.sync-state")
    assert sentence.inner_text().startswith(f"Synced with Salesforce Lead {contact.salesforce_id}")
    assert "Salesforce won Phone (two-way, most recent wins)" in sentence.inner_text()
    box, table = sentence.bounding_box(), page.locator("table").bounding_box()
    assert box["y"] + box["height"] <= table["y"]
    assert box["y"] + box["height"] <= height
    assert box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# -- what issue 11's safeguards did: a merge, the brake, a restore -------------------------


def test_a_contact_merged_in_salesforce_says_so(sync_settings, emulator, make_contact, why):
    # given: a contact whose Lead sales merged into another Lead
    contact = linked(make_contact, company="Acme")
    master = emulator.store.insert("Lead", {"LastName": "Keeper", "Company": "Acme",
                                            "Email": "keep@example.com"})  # fmt: skip
    loser = contact.salesforce_id
    emulator.store.merge("Lead", master, [loser])
    # when
    run_cycle()
    contact.refresh_from_db()
    # then
    said = why(contact)
    assert said.startswith(f"Synced with Salesforce Lead {master}")
    assert f"; the Lead {loser} was merged into {master} in Salesforce; this contact now " in said


def test_a_deletion_held_by_the_brake_says_so(sync_settings, emulator, make_contact, why):
    # given: 20 contacts, 4 of their Leads deleted at once (5 % allows 1)
    sync_settings.delete_on_lead_deleted = True
    sync_settings.save()
    for index in range(20):
        make_contact(f"person{index}@example.com")
    run_cycle()
    held = list(Contact.objects.order_by("pk")[:4])
    for contact in held:
        emulator.store.delete("Lead", contact.salesforce_id)
    # when
    run_cycle()
    # then
    said = why(Contact.objects.get(pk=held[0].pk))
    assert said.startswith("Held on ")
    assert said.endswith(
        ": the Lead was deleted in Salesforce; the deletion here is held by the mass-delete "
        "brake (4 deletions in one cycle, more than 1): an admin confirms or cancels it."
    )


def test_a_contact_restored_from_quarantine_says_so(
    sync_settings, emulator, make_contact, why, admin_user
):
    # given: a contact deleted into quarantine with its Lead
    sync_settings.delete_on_lead_deleted = True
    sync_settings.save()
    contact = linked(make_contact)
    emulator.store.delete("Lead", contact.salesforce_id)
    run_cycle()
    # when: an admin restores it
    quarantined_record_restore(entry=QuarantinedRecord.objects.get(), user=admin_user)
    # then
    said = why(Contact.objects.get(pk=contact.pk))
    assert said.startswith("Restored on ")
    assert ": restored from quarantine by admin, linked to its Lead again; it syncs again " in said

"""Leads and Contacts ↔ local contacts, end to end against the emulator: matching, creation,
inclusion list, field rules, conflicts, no echo, conversions and deletions."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.choices import Direction, EventStatus, MappingRule, Operation, RunStatus
from integrations.models import FieldMapping, InclusionRule, SyncCursor
from integrations.tests.sync.helpers import events, run_cycle
from tracking.choices import LifecycleStage, Origin, SalesforceObject
from tracking.models import Company, Contact, SyncEvent

pytestmark = pytest.mark.django_db


def test_new_contact_becomes_a_lead_with_placeholder_company(sync_settings, emulator, make_contact):
    contact = make_contact("ada@example.com", first_name="Ada", last_name="Lovelace")
    run = run_cycle()
    contact.refresh_from_db()
    lead = emulator.store.get("Lead", contact.salesforce_id)
    assert run.status == RunStatus.SUCCEEDED
    assert contact.salesforce_object == "Lead"
    assert (lead["Email"], lead["LastName"], lead["Company"]) == (
        "ada@example.com",
        "Lovelace",
        "[not provided]",
    )
    assert run.counts["Lead"]["created"] == 1


def test_record_type_contact_creates_contacts(sync_settings, emulator, make_contact):
    sync_settings.new_record_type = SalesforceObject.CONTACT
    sync_settings.save()
    contact = make_contact("grace@example.com", company="Navy")
    run_cycle()
    contact.refresh_from_db()
    assert contact.salesforce_object == "Contact"
    assert emulator.store.get("Contact", contact.salesforce_id)["Email"] == "grace@example.com"
    assert emulator.store.count("Lead") == 0


def test_existing_contact_is_matched_not_duplicated(sync_settings, emulator, make_contact):
    existing = emulator.store.insert(
        "Contact", {"LastName": "Hopper", "Email": "GRACE@example.com"}
    )
    emulator.store.insert(
        "Lead", {"LastName": "Hopper", "Company": "X", "Email": "grace@example.com"}
    )
    contact = make_contact("grace@example.com", last_name="Hopper", title="Rear Admiral")
    run_cycle()
    contact.refresh_from_db()
    assert (contact.salesforce_object, contact.salesforce_id) == ("Contact", existing)
    assert emulator.store.count("Contact") == 1
    assert emulator.store.get("Contact", existing)["Title"] == "Rear Admiral"
    assert events(contact, operation=Operation.MATCH)


def test_outbound_matches_a_contact_the_inbound_pass_never_reads(
    sync_settings, emulator, make_contact, settings
):
    # given: a Contact older than the inbound watermark, so only outbound matching can find it
    settings.SALESFORCE_SYNC_CLOCK_SKEW_SECONDS = 0  # the Contact predates this cycle's read
    existing = emulator.store.insert("Contact", {"LastName": "Older", "Email": "Old@Example.com"})
    for sobject in ("Lead", "Contact"):
        SyncCursor.objects.create(
            salesforce_object=sobject, last_modstamp=timezone.now() + timedelta(hours=1)
        )
    contact = make_contact("old@example.com", last_name="Older", title="Buyer")
    time.sleep(1)  # SOQL datetimes have whole seconds: the Contact is now before the read
    # when
    run = run_cycle()
    # then: linked to the Contact, no Lead created, the match recorded as outbound
    contact.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert (contact.salesforce_object, contact.salesforce_id) == ("Contact", existing)
    assert emulator.store.count("Lead") == 0
    assert emulator.store.get("Contact", existing)["Title"] == "Buyer"
    [match] = events(contact, operation=Operation.MATCH)
    assert match.direction == Direction.OUTBOUND


def test_unconverted_lead_is_matched_converted_one_is_not(sync_settings, emulator, make_contact):
    converted = emulator.store.insert(
        "Lead", {"LastName": "Old", "Company": "X", "Email": "a@x.io"}
    )
    emulator.store.convert_lead(converted)
    open_lead = emulator.store.insert("Lead", {"LastName": "B", "Company": "X", "Email": "b@x.io"})
    first, second = make_contact("a@x.io"), make_contact("b@x.io")
    run_cycle()
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.salesforce_id == open_lead
    assert first.salesforce_object == "Contact"  # the converted Lead's Contact, found by email


def test_only_changed_fields_are_sent_and_nothing_when_nothing_changed(
    sync_settings, emulator, make_contact
):
    contact = make_contact("c@example.com", title="Engineer")
    run_cycle()
    emulator.reset_stats()
    second = run_cycle()
    assert second.counts.get("Lead", {}).get("updated", 0) == 0
    assert emulator.api_calls_by_path("composite/sobjects") == 0
    contact.title = "CTO"
    contact.local_modified_at = timezone.now()
    contact.save()
    third = run_cycle()
    update = events(contact, operation=Operation.UPDATE)[0]
    assert update.changes == [
        {"field": "title", "salesforce_field": "Title", "old": "Engineer", "new": "CTO"}
    ]
    assert third.counts["Lead"]["updated"] == 1


def test_inclusion_list_keeps_other_contacts_out(sync_settings, emulator, make_contact):
    sync_settings.inclusion_mode = "all"
    sync_settings.save()
    InclusionRule.objects.create(
        settings=sync_settings,
        field="lifecycle_stage",
        operator="equals",
        value="salesqualifiedlead",
    )
    kept = make_contact("sql@example.com", lifecycle_stage=LifecycleStage.SQL)
    left_out = make_contact("sub@example.com", lifecycle_stage=LifecycleStage.SUBSCRIBER)
    run = run_cycle()
    kept.refresh_from_db()
    left_out.refresh_from_db()
    assert kept.salesforce_id
    assert not left_out.salesforce_id
    assert run.counts["Contact"]["skipped"] == 1


def test_one_bad_record_fails_alone_with_a_plain_hint(sync_settings, emulator, make_contact):
    good = make_contact("good@example.com")
    bad = make_contact("bad@[192.0.2.1]")  # stored before the API refused such addresses
    run = run_cycle()
    good.refresh_from_db()
    bad.refresh_from_db()
    assert run.status == RunStatus.PARTIAL
    assert good.salesforce_id
    assert not bad.salesforce_id
    error = events(bad, status=EventStatus.ERROR)[0]
    assert error.error_code == "INVALID_EMAIL_ADDRESS"
    assert "email address is not valid" in error.hint


def test_state_and_country_are_sent_as_iso_codes(sync_settings, emulator, make_contact):
    emulator.set_state_country_picklists(True)
    sync_settings.state_country_picklists = True
    sync_settings.save()
    usa = make_contact("us@example.com", country="Vereinigte Staaten", state="California")
    nowhere = make_contact("x@example.com", country="Atlantis")
    run_cycle()
    usa.refresh_from_db()
    nowhere.refresh_from_db()
    lead = emulator.store.get("Lead", usa.salesforce_id)
    assert (lead["CountryCode"], lead["StateCode"]) == ("US", "CA")
    assert nowhere.salesforce_id  # synced without the bad value
    assert emulator.store.get("Lead", nowhere.salesforce_id)["CountryCode"] is None
    assert "Atlantis" in events(nowhere, status=EventStatus.ERROR)[0].error_message


def test_picklists_switched_off_in_the_org_later_fail_as_a_settings_problem(
    sync_settings, emulator, make_contact
):
    # given: picklists on here and in the org, one cycle done
    emulator.set_state_country_picklists(True)
    sync_settings.state_country_picklists = True
    sync_settings.save()
    run_cycle()
    # when: the org turns them off, and a contact waits to go out
    emulator.set_state_country_picklists(False)
    make_contact("us@example.com", country="United States")
    run = run_cycle()
    # then: a settings problem with a hint, not a field-mapping error; the bar is not full
    assert run.status == RunStatus.FAILED
    assert "State and country picklists are on in the sync settings" in run.error
    assert "Lead.CountryCode" in run.error
    assert "Turn off “state and country picklists”" in run.hint
    assert "field mapping" not in run.hint
    assert run.progress_percent < 100


def test_a_missing_mapped_field_with_picklists_on_stays_a_mapping_error(sync_settings, emulator):
    emulator.set_state_country_picklists(True)
    sync_settings.state_country_picklists = True
    sync_settings.save()
    FieldMapping.objects.filter(salesforce_object="Lead", local_field="title").update(
        salesforce_field="Gone__c"
    )
    run = run_cycle()
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("INVALID_FIELD")
    assert "field mapping" in run.hint


def test_hostile_emails_match_as_values(sync_settings, emulator, make_contact):
    email = "o'brien+x@example.com"
    existing = emulator.store.insert("Contact", {"LastName": "O'Brien", "Email": email})
    contact = make_contact(email)
    run_cycle()
    contact.refresh_from_db()
    assert contact.salesforce_id == existing


def test_new_salesforce_leads_and_contacts_create_local_contacts(sync_settings, emulator):
    emulator.store.insert("Lead", {"LastName": "L", "Company": "C", "Email": "lead@x.io"})
    emulator.store.insert("Contact", {"LastName": "C", "Email": "contact@x.io"})
    run_cycle()
    assert set(Contact.objects.values_list("email", "origin")) == {
        ("lead@x.io", Origin.SALESFORCE),
        ("contact@x.io", Origin.SALESFORCE),
    }


@pytest.mark.parametrize(("from_leads", "from_contacts", "expected"), [
    (False, True, {"contact@x.io"}), (True, False, {"lead@x.io"}), (False, False, set()),
])  # fmt: skip
def test_creation_toggles(sync_settings, emulator, from_leads, from_contacts, expected):
    sync_settings.create_from_leads = from_leads
    sync_settings.create_from_contacts = from_contacts
    sync_settings.save()
    emulator.store.insert("Lead", {"LastName": "L", "Company": "C", "Email": "lead@x.io"})
    emulator.store.insert("Contact", {"LastName": "C", "Email": "contact@x.io"})
    run_cycle()
    assert set(Contact.objects.values_list("email", flat=True)) == expected


def test_converted_lead_relinks_contact(sync_settings, emulator, make_contact):
    contact = make_contact("conv@example.com", company="Acme")
    run_cycle()
    contact.refresh_from_db()
    result = emulator.store.convert_lead(contact.salesforce_id)
    run_cycle()
    contact.refresh_from_db()
    assert (contact.salesforce_object, contact.salesforce_id) == ("Contact", result["contactId"])
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("sobject", ["Lead", "Contact"])
@pytest.mark.parametrize("delete_locally", [True, False])
def test_deletion_policies(sync_settings, emulator, make_contact, sobject, delete_locally):
    sync_settings.new_record_type = sobject
    setattr(sync_settings, f"delete_on_{sobject.lower()}_deleted", delete_locally)
    sync_settings.save()
    contact = make_contact("gone@example.com")
    run_cycle()
    contact.refresh_from_db()
    emulator.store.delete(sobject, contact.salesforce_id)
    run_cycle()
    remaining = Contact.objects.filter(pk=contact.pk).first()
    if delete_locally:
        assert remaining is None
    else:
        assert remaining.deleted_in_salesforce
        assert not remaining.salesforce_id
        assert events(remaining, operation=Operation.DELETE)
        run_cycle()  # not re-created in Salesforce
        assert emulator.store.count(sobject) == 0


def set_rule(field, rule):
    FieldMapping.objects.filter(salesforce_object="Lead", salesforce_field=field).update(rule=rule)


def linked_lead(emulator, make_contact, **fields):
    contact = make_contact("rule@example.com", **fields)
    run_cycle()
    contact.refresh_from_db()
    return contact


def edit_both(emulator, contact, *, local, remote, local_newer):
    salesforce_change = lambda: emulator.store.update("Lead", contact.salesforce_id, remote)  # noqa: E731
    if not local_newer:
        contact.__class__.objects.filter(pk=contact.pk).update(
            local_modified_at=timezone.now() - timedelta(seconds=5), **local
        )
        salesforce_change()
    else:
        salesforce_change()
        contact.__class__.objects.filter(pk=contact.pk).update(
            local_modified_at=timezone.now() + timedelta(seconds=5), **local
        )
    run_cycle()
    contact.refresh_from_db()
    return contact, emulator.store.get("Lead", contact.salesforce_id)


@pytest.mark.parametrize("local_newer", [True, False])
def test_two_way_most_recent_change_wins(sync_settings, emulator, make_contact, local_newer):
    contact = linked_lead(emulator, make_contact, title="Start")
    contact, lead = edit_both(
        emulator,
        contact,
        local={"title": "Local"},
        remote={"Title": "Remote"},
        local_newer=local_newer,
    )
    winner = "Local" if local_newer else "Remote"
    assert (contact.title, lead["Title"]) == (winner, winner)


def test_prefer_salesforce_unless_blank(sync_settings, emulator, make_contact):
    set_rule("Title", MappingRule.PREFER_SALESFORCE)
    contact = linked_lead(emulator, make_contact, title="Start")
    contact, lead = edit_both(
        emulator, contact, local={"title": "Local"}, remote={"Title": "Remote"}, local_newer=True
    )
    assert (contact.title, lead["Title"]) == ("Remote", "Remote")
    contact, lead = edit_both(
        emulator, contact, local={"title": "Mine"}, remote={"Title": None}, local_newer=False
    )
    assert (contact.title, lead["Title"]) == ("Mine", "Mine")


def test_always_salesforce_is_never_overwritten(sync_settings, emulator, make_contact):
    set_rule("Title", MappingRule.ALWAYS_SALESFORCE)
    contact = linked_lead(emulator, make_contact, phone="1")
    emulator.store.update("Lead", contact.salesforce_id, {"Title": "From SF"})
    contact, lead = edit_both(
        emulator, contact, local={"title": "Local"}, remote={"Phone": "2"}, local_newer=True
    )
    assert (contact.title, lead["Title"]) == ("From SF", "From SF")


def test_to_salesforce_only_is_never_read_back(sync_settings, emulator, make_contact):
    set_rule("Title", MappingRule.TO_SALESFORCE)
    contact = linked_lead(emulator, make_contact, title="Ours")
    emulator.store.update("Lead", contact.salesforce_id, {"Title": "Theirs"})
    run_cycle()
    contact.refresh_from_db()
    assert contact.title == "Ours"


def test_off_is_ignored_both_ways(sync_settings, emulator, make_contact):
    set_rule("Title", MappingRule.OFF)
    contact = linked_lead(emulator, make_contact, title="Ours")
    assert emulator.store.get("Lead", contact.salesforce_id)["Title"] is None
    emulator.store.update("Lead", contact.salesforce_id, {"Title": "Theirs"})
    run_cycle()
    contact.refresh_from_db()
    assert contact.title == "Ours"


def test_a_pending_local_change_survives_an_unrelated_salesforce_edit(
    sync_settings, emulator, make_contact
):
    # given: Title changed here, then a sales rep edits only Phone in Salesforce (newer)
    contact = linked_lead(emulator, make_contact, title="Start")
    Contact.objects.filter(pk=contact.pk).update(title="Local", local_modified_at=timezone.now())
    time.sleep(0.01)  # Salesforce's clock has milliseconds: make its edit visibly newer
    emulator.store.update("Lead", contact.salesforce_id, {"Phone": "555"})
    # when
    run_cycle()
    # then: Salesforce's unchanged Title is no change, so both edits survive on both sides
    contact.refresh_from_db()
    lead = emulator.store.get("Lead", contact.salesforce_id)
    assert (contact.title, contact.phone) == ("Local", "555")
    assert (lead["Title"], lead["Phone"]) == ("Local", "555")


def test_no_echo_nothing_ping_pongs(sync_settings, emulator, make_contact):
    contact = make_contact("echo@example.com", title="A")
    run_cycle()
    emulator.store.update("Lead", Contact.objects.get().salesforce_id, {"Phone": "555"})
    run_cycle()
    contact.refresh_from_db()
    assert contact.phone == "555"
    before_events = SyncEvent.objects.count()
    emulator.reset_stats()
    for _ in range(2):
        run_cycle()
    assert SyncEvent.objects.count() == before_events
    assert emulator.api_calls_by_path("composite/sobjects") == 0


def test_update_waits_for_a_salesforce_change_the_cycle_has_not_read(
    sync_settings, emulator, make_contact
):
    from integrations.services.connection import salesforce_client
    from integrations.sync.cycle import Cycle
    from integrations.sync.handlers.people import PeopleHandler
    from integrations.sync.recorder import Recorder

    # given: a linked contact changed here, and changed in Salesforce after the inbound read
    contact = linked_lead(emulator, make_contact, title="Start")
    emulator.store.update("Lead", contact.salesforce_id, {"Title": "Remote"})
    Contact.objects.filter(pk=contact.pk).update(phone="123", local_modified_at=timezone.now())
    # when: the push runs on its own
    cycle = Cycle(
        settings=sync_settings, client=salesforce_client(), recorder=Recorder(None),
        read_since=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    PeopleHandler().push(cycle)
    # then: nothing was overwritten; the next full cycle brings both changes together
    assert emulator.store.get("Lead", contact.salesforce_id)["Phone"] is None
    run_cycle()
    contact.refresh_from_db()
    lead = emulator.store.get("Lead", contact.salesforce_id)
    assert (contact.title, contact.phone) == ("Remote", "123")
    assert (lead["Title"], lead["Phone"]) == ("Remote", "123")


def test_a_stored_inclusion_rule_that_cannot_be_applied_fails_the_run_with_a_hint(
    sync_settings, emulator, make_contact
):
    # given: a rule saved before property keys were checked (`__` reads as a lookup)
    sync_settings.inclusion_mode = "all"
    sync_settings.save()
    InclusionRule.objects.create(
        settings=sync_settings, field="properties.plan__isnull", operator="is_set"
    )
    contact = make_contact("ada@example.com", properties={"plan": "pro"})
    # when
    run = run_cycle()
    # then
    contact.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "properties.plan__isnull" in run.error
    assert "inclusion list" in run.hint
    assert not contact.salesforce_id


def test_without_an_inclusion_list_nothing_is_counted_as_skipped(sync_settings, make_contact):
    make_contact("everyone@example.com")
    run = run_cycle()
    assert run.counts["Lead"]["created"] == 1
    assert "Contact" not in run.counts


def test_a_leads_company_links_by_name_then_website_domain(sync_settings, emulator):
    # given: local companies, and Leads naming them by name (any case) or by website
    acme = Company.objects.create(name="Acme")
    initech = Company.objects.create(name="Initech", domain="initech.example")
    emulator.store.insert("Lead", {"LastName": "A", "Email": "a@x.example", "Company": " ACME "})
    emulator.store.insert(
        "Lead",
        {"LastName": "B", "Email": "b@x.example", "Company": "Initech LLC",
         "Website": "https://www.initech.example/"},
    )  # fmt: skip
    emulator.store.insert("Lead", {"LastName": "C", "Email": "c@x.example", "Company": "Hooli"})
    # when
    run_cycle()
    # then
    linked = dict(Contact.objects.values_list("email", "company_record"))
    assert linked == {"a@x.example": acme.pk, "b@x.example": initech.pk, "c@x.example": None}


def test_contact_without_last_name_waits_with_a_visible_reason(
    sync_settings, emulator, make_contact
):
    # given: Salesforce requires a LastName on every Lead and Contact
    contact = make_contact("subscriber@example.com", last_name="")
    # when: two cycles
    run_cycle()
    run_cycle()
    # then: nothing was sent, one history event says why, and no error is retried
    contact.refresh_from_db()
    assert contact.salesforce_id == ""
    assert emulator.store.count("Lead") == 0
    [waiting] = events(contact)
    assert waiting.operation == Operation.SKIP
    assert "needs a last name" in waiting.error_message + waiting.hint
    # when: the host product gives the last name
    contact.last_name = "Reader"
    contact.local_modified_at = timezone.now()
    contact.save()
    run_cycle()
    # then
    contact.refresh_from_db()
    assert emulator.store.get("Lead", contact.salesforce_id)["LastName"] == "Reader"

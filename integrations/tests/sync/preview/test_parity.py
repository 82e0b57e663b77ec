"""The preview's counts equal the real cycle's on the same data, with no more API calls,
where one batch or handler reads what an earlier one would have written: contacts the push
links before the activities are matched, contacts the pull creates, rows the pull leaves to
push, and a merge's re-linked record."""

import pytest
from django.utils import timezone

from integrations.models import FieldMapping, SyncPreview
from integrations.services.sync_preview import sync_preview_run
from integrations.tests.sync.helpers import run_cycle
from tracking.models import Contact
from tracking.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def preview_then_cycle(emulator):
    """The preview's report and API calls, then the real cycle's run and API calls."""
    emulator.reset_stats()
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    preview_calls = emulator.api_calls
    emulator.reset_stats()
    run = run_cycle()
    return preview, preview_calls, run, emulator.api_calls


@pytest.mark.parametrize("leads", [True, False])
def test_a_visit_of_a_contact_the_push_creates(sync_settings, emulator, make_contact, leads):
    sync_settings.task_sync = True
    sync_settings.unmatched_create_leads = leads
    sync_settings.save()
    make_contact("fresh@x.io")
    VisitFactory(visitor_email="fresh@x.io", local_modified_at=timezone.now())
    preview, preview_calls, run, run_calls = preview_then_cycle(emulator)
    assert run.counts["Task"].get("created") == 1
    assert preview.counts == run.counts
    assert preview_calls <= run_calls


def test_a_lead_and_a_contact_with_one_email(sync_settings, emulator):
    sync_settings.create_from_leads = sync_settings.create_from_contacts = True
    sync_settings.save()
    emulator.store.insert("Lead", {"LastName": "Ada", "Company": "A", "Email": "ada@x.io"})
    emulator.store.insert("Contact", {"LastName": "Ada", "Email": "ada@x.io"})
    preview, preview_calls, run, run_calls = preview_then_cycle(emulator)
    assert run.counts == {"Lead": {"created": 1}, "Contact": {"matched": 1}}
    assert preview.counts == run.counts
    assert preview.local_writes["contacts"] == {"created": 1, "updated": 1}
    assert preview_calls <= run_calls


def test_duplicate_leads_in_different_batches(sync_settings, emulator, settings):
    settings.SALESFORCE_SYNC_BATCH_SIZE = 1
    sync_settings.create_from_leads = True
    sync_settings.save()
    emulator.store.insert("Lead", {"LastName": "Ada", "Company": "A", "Email": "ada@x.io"})
    emulator.store.insert("Lead", {"LastName": "Ada2", "Company": "A", "Email": "ada@x.io"})
    preview, preview_calls, run, run_calls = preview_then_cycle(emulator)
    assert run.counts == {"Lead": {"created": 1, "skipped": 1}}
    assert preview.counts == run.counts
    assert preview_calls <= run_calls


def test_a_prefer_salesforce_field_blanked_there_is_pushed_back(
    sync_settings, emulator, make_contact
):
    FieldMapping.objects.filter(salesforce_object="Lead", local_field="title").update(
        rule="prefer_salesforce"
    )
    contact = make_contact("t@x.io", title="Engineer")
    run_cycle()
    contact.refresh_from_db()
    emulator.store.update("Lead", contact.salesforce_id, {"Title": None})
    preview, preview_calls, run, run_calls = preview_then_cycle(emulator)
    assert run.counts == {"Lead": {"updated": 1}}
    assert preview.counts == run.counts
    assert preview_calls <= run_calls


@pytest.mark.parametrize("create", [False, True])
def test_a_merge_relinks_for_the_masters_row(sync_settings, emulator, make_contact, create):
    sync_settings.new_record_type = "Contact"
    sync_settings.create_from_contacts = create
    sync_settings.save()
    loser = make_contact("ada.l@example.com", last_name="Lovelace")
    run_cycle()
    loser.refresh_from_db()
    master = emulator.store.insert("Contact", {"LastName": "Ada", "Email": "ada@example.com"})
    emulator.store.merge("Contact", master, [loser.salesforce_id])
    preview, preview_calls, run, run_calls = preview_then_cycle(emulator)
    assert run.counts == {"Contact": {"matched": 1, "updated": 1}}
    assert preview.counts == run.counts
    assert preview_calls <= run_calls
    assert Contact.objects.get(pk=loser.pk).salesforce_id == master


def test_invalid_email_addresses_are_foreseen_as_rejected(sync_settings, emulator, make_contact):
    make_contact("ok@x.io")
    make_contact("user@localhost")
    preview, preview_calls, run, run_calls = preview_then_cycle(emulator)
    assert run.counts == {"Lead": {"created": 1, "errors": 1}}
    assert preview.counts == run.counts
    assert preview_calls <= run_calls


def test_a_converted_leads_contact_is_found_by_the_contact_pull(
    sync_settings, emulator, make_contact
):
    contact = make_contact("conv@example.com", company="Acme")
    run_cycle()
    contact.refresh_from_db()
    emulator.store.convert_lead(contact.salesforce_id)
    preview, preview_calls, run, run_calls = preview_then_cycle(emulator)
    assert preview.counts == run.counts
    assert preview_calls <= run_calls

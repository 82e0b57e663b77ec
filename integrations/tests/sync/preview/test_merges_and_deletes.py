"""The preview of cycles that follow Salesforce merges and face the mass-delete brake: it
writes nothing (no re-link, no local merge, no pending deletion, no brake) and foresees the
real cycle's counts, the merge's and the brake's history messages included."""

import pytest

from integrations.choices import RunStatus
from integrations.models import DeleteBrake, PendingDeletion, SyncPreview, SyncPreviewItem
from integrations.services.sync_preview import sync_preview_run
from integrations.tests.sync.helpers import run_cycle
from integrations.tests.sync.preview.test_counts import local_state
from tracking.models import Contact

pytestmark = pytest.mark.django_db


def preview_and_cycle(emulator):
    """The preview, checked to write nothing, then the real cycle on the same data."""
    before, org_before = local_state(), emulator.store.export_state()
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    assert preview.status == RunStatus.SUCCEEDED, preview.error
    assert local_state() == before
    assert emulator.store.export_state() == org_before
    assert not PendingDeletion.objects.exists()
    assert not DeleteBrake.objects.exists()
    return preview, run_cycle()


def test_a_preview_foresees_two_local_contacts_merged(sync_settings, emulator, make_contact):
    # given: two contacts linked to two Contacts, which sales merges in Salesforce
    sync_settings.new_record_type = "Contact"
    sync_settings.save()
    survivor = make_contact("ada@example.com", last_name="Ada")
    merged_away = make_contact("ada.l@example.com", last_name="Lovelace")
    run_cycle()
    survivor.refresh_from_db()
    merged_away.refresh_from_db()
    master, loser = survivor.salesforce_id, merged_away.salesforce_id
    emulator.store.merge("Contact", master, [loser])
    # when
    preview, run = preview_and_cycle(emulator)
    # then
    assert run.counts == preview.counts
    assert preview.counts["Contact"]["matched"] == 1
    merged = SyncPreviewItem.objects.get(preview=preview, outcome="matched")
    assert f"The Contact {loser} was merged into {master}" in merged.detail


def test_a_preview_foresees_the_brake_holding_a_mass_deletion(
    sync_settings, emulator, make_contact
):
    # given: 20 contacts linked to Leads, 5 % may go in one cycle, and sales deletes 4
    sync_settings.delete_on_lead_deleted = True
    sync_settings.save()
    for index in range(20):
        make_contact(f"person{index}@example.com")
    run_cycle()
    for contact in Contact.objects.order_by("pk")[:4]:
        emulator.store.delete("Lead", contact.salesforce_id)
    # when
    preview, run = preview_and_cycle(emulator)
    # then: held in both, nothing deleted
    assert run.counts == preview.counts
    assert preview.counts["Lead"]["skipped"] == 4
    assert DeleteBrake.objects.get().tripped_count == 4
    held = SyncPreviewItem.objects.filter(preview=preview, outcome="skipped")
    assert {item.detail for item in held} == {
        "The Lead was deleted in Salesforce; the deletion here is held by the mass-delete "
        "brake (4 deletions in one cycle, more than 1): an admin confirms or cancels it."
    }

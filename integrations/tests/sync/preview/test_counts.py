"""The preview against the emulator: it writes nothing on either side, costs no more calls
than the real cycle, and foresees that cycle's counts per object and outcome."""

import pytest

from integrations.choices import RunStatus
from integrations.models import InclusionRule, SyncCursor, SyncPreview, SyncPreviewItem
from integrations.services.sync_preview import sync_preview_run
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import LifecycleStage
from tracking.models import Company, Contact, SyncEvent

pytestmark = pytest.mark.django_db

SQL = LifecycleStage.SQL
TOO_LONG = "a" * 76 + "@x.io"  # Salesforce's Email field holds 80 characters


def local_state() -> dict:
    return {
        "contacts": list(Contact.objects.order_by("pk").values()),
        "companies": list(Company.objects.order_by("pk").values()),
        "cursors": list(SyncCursor.objects.order_by("pk").values()),
        "events": SyncEvent.objects.count(),
    }


@pytest.fixture
def seeded(sync_settings, emulator, make_contact):
    """Synced contacts, then changes on both sides: every outcome a cycle knows."""
    make_contact("linked@x.io", title="Engineer")
    pulled = make_contact("pulled@x.io")
    gone = make_contact("gone@x.io")
    run_cycle()
    pulled.refresh_from_db()
    gone.refresh_from_db()
    sync_settings.inclusion_mode = "all"
    sync_settings.sync_enabled = False  # the preview's point: before the switch is turned on
    sync_settings.save()
    InclusionRule.objects.create(
        settings=sync_settings, field="lifecycle_stage", operator="equals", value=SQL
    )
    linked = Contact.objects.get(email="linked@x.io")
    linked.title, linked.lifecycle_stage = "CTO", SQL
    linked.save()
    Contact.objects.filter(pk=linked.pk).update(local_modified_at=linked.updated_at)
    # Salesforce: a change to pull, a deletion, a new Lead to import, a Lead to match
    emulator.store.update("Lead", pulled.salesforce_id, {"Title": "Buyer"})
    emulator.store.delete("Lead", gone.salesforce_id)
    emulator.store.insert("Lead", {"LastName": "New", "Company": "Acme", "Email": "new@x.io"})
    emulator.store.insert("Lead", {"LastName": "Lee", "Company": "Acme", "Email": "lee@x.io"})
    emulator.store.insert("Contact", {"LastName": "Cole", "Email": "cole@x.io"})
    # here: to create, to match (a Lead and a Contact), left out, one Salesforce refuses
    for email in ("one@x.io", "two@x.io", "lee@x.io", "cole@x.io", TOO_LONG):
        make_contact(email, lifecycle_stage=SQL)
    make_contact("subscriber@x.io", lifecycle_stage=LifecycleStage.SUBSCRIBER)
    return sync_settings


def test_the_preview_writes_nothing_and_foresees_the_real_cycle(seeded, emulator):
    # given
    before, org_before = local_state(), emulator.store.export_state()
    emulator.reset_stats()
    # when
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    # then: nothing written on either side, except the preview's report
    assert preview.status == RunStatus.SUCCEEDED, preview.error
    assert local_state() == before
    assert emulator.store.export_state() == org_before
    assert emulator.api_calls_by_path("composite/sobjects") == 0
    assert preview.api_calls == emulator.api_calls
    rejected = SyncPreviewItem.objects.get(preview=preview, outcome="rejected")
    assert (rejected.salesforce_object, rejected.error_code) == ("Lead", "STRING_TOO_LONG")
    assert preview.skip_reasons["Contact"] == {"Not in the inclusion list.": 1}
    created = preview.samples["Lead"]["created"]
    assert {row["direction"] for row in created} == {"inbound", "outbound"}
    assert preview.directions["Lead"]["outbound"] == {"created": 2, "updated": 1, "errors": 1}
    # when: the real cycle on the same data
    seeded.sync_enabled = True
    seeded.save()
    emulator.reset_stats()
    run = run_cycle()
    # then: the same numbers, and no more calls than the cycle made
    assert run.counts == preview.counts
    assert run.counts["Lead"] == {"created": 3, "updated": 2, "matched": 1, "deleted": 1,
                                  "errors": 1}  # fmt: skip
    assert run.counts["Contact"] == {"matched": 1, "skipped": 1}
    assert preview.api_calls <= run.api_calls

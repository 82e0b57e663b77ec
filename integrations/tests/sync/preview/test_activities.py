"""The preview of the activity handlers: Tasks, Leads for unmatched visitors and notes are
planned as the real cycle writes them, and nothing reaches the org."""

import pytest
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.models import SyncPreview
from integrations.services.sync_preview import sync_preview_run
from integrations.tests.sync.activities.conftest import SAM, seat_holder
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import ActivityKind
from tracking.models import Activity, SyncEvent, Visit
from tracking.tests.factories import ActivityFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_visits_new_leads_and_notes_are_previewed_as_the_cycle_writes_them(sync_settings, emulator):
    # given: a visit on a Contact, one by an unknown visitor (a new Lead), a note
    task_settings = sync_settings
    task_settings.task_sync = True
    task_settings.write_back = True
    task_settings.unmatched_create_leads = True
    task_settings.save()
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    now = timezone.now()
    VisitFactory(visitor_email="ada@vogel.example", local_modified_at=now)
    VisitFactory(visitor_email="new@unknown.example", visitor_name="Nia New",
                 local_modified_at=now)  # fmt: skip
    ActivityFactory(kind=ActivityKind.NOTE, contact_email="ada@vogel.example",
                    author=seat_holder(SAM), author_email=SAM, subject="Call notes",
                    local_modified_at=now)  # fmt: skip
    org_before = emulator.store.export_state()
    visits_before = list(Visit.objects.values())
    # when
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    # then
    assert preview.status == RunStatus.SUCCEEDED, preview.error
    assert emulator.store.export_state() == org_before
    assert list(Visit.objects.values()) == visits_before
    assert not Activity.objects.exclude(salesforce_id="").exists()
    assert not SyncEvent.objects.exists()
    assert preview.counts["Task"] == {"created": 2, "skipped": 2}  # the visits' links wait
    assert preview.counts["ContentNote"] == {"created": 1}
    # and the real cycle does just that
    run = run_cycle()
    assert run.counts == preview.counts
    assert preview.api_calls <= run.api_calls

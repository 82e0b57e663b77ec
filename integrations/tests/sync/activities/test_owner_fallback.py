"""Tasks refused for their owner are written with the fallback owner, as contacts are."""

import pytest
from django.utils import timezone

from integrations.emulator.records.org import MANAGER_USER_ID
from integrations.services.connection import salesforce_client
from integrations.sync.activities.writer import Planned, TaskWriter
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.write_back import ActivityTaskKind
from integrations.sync.owners import Owners
from integrations.sync.recorder import Recorder
from integrations.tests.sync.activities.conftest import SAM, SAM_ID, seat_holder
from tracking.choices import ActivityKind
from tracking.models import SyncEvent
from tracking.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_a_task_whose_owner_was_deactivated_during_the_cycle_gets_the_fallback_owner(
    task_settings, emulator, tasks
):
    # given: the cycle found Sam active, then Sam was deactivated in Salesforce
    task_settings.write_back = True
    task_settings.fallback_owner_id = MANAGER_USER_ID
    task_settings.save()
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    activities = [
        ActivityFactory(kind=ActivityKind.CALL, contact_email="ada@vogel.example",
                        author_email=SAM, author=seat_holder(SAM), local_modified_at=timezone.now())
        for _ in range(2)
    ]  # fmt: skip
    cycle = Cycle(settings=task_settings, client=salesforce_client(), recorder=Recorder(None))
    cycle.shared_one("owners", Owners).load([SAM])
    emulator.store.update("User", SAM_ID, {"IsActive": False}, system=True)
    emulator.reset_stats()

    # when
    TaskWriter(cycle, ActivityTaskKind()).write(activities, loaded_at=timezone.now())

    # then
    assert [task["OwnerId"] for task in tasks()] == [MANAGER_USER_ID, MANAGER_USER_ID]
    assert emulator.api_calls_by_path("composite/sobjects") == 2  # the batch, the refused
    for activity in activities:
        activity.refresh_from_db()
        assert activity.salesforce_id
        event = SyncEvent.objects.get(content_type__model="activity", object_id=activity.pk)
        said = (
            f"Owner Sam Seller ({SAM_ID}) is inactive in Salesforce; written with the fallback "
            f"owner Mia Manager ({MANAGER_USER_ID})."
        )
        assert said in event.error_message


def test_an_update_refused_for_its_owner_records_the_fallback_owner_it_was_sent_with(
    task_settings, emulator, tasks
):
    # given: a written Task, then its owner deactivated in Salesforce
    task_settings.write_back = True
    task_settings.fallback_owner_id = MANAGER_USER_ID
    task_settings.save()
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    activity = ActivityFactory(kind=ActivityKind.CALL, contact_email="ada@vogel.example",
                               author_email=SAM, author=seat_holder(SAM),
                               local_modified_at=timezone.now())  # fmt: skip
    cycle = Cycle(settings=task_settings, client=salesforce_client(), recorder=Recorder(None))
    writer = TaskWriter(cycle, ActivityTaskKind())
    writer.write([activity], loaded_at=timezone.now())
    emulator.store.update("User", SAM_ID, {"IsActive": False}, system=True)

    # when: an update names the inactive owner
    writer._save([Planned(activity, {"OwnerId": SAM_ID})], "update",
                 [{"Id": activity.salesforce_id, "OwnerId": SAM_ID}])  # fmt: skip

    # then: its bookkeeping names the owner Salesforce holds, so it is not sent again
    assert [task["OwnerId"] for task in tasks()] == [MANAGER_USER_ID]
    assert activity.sync_values["OwnerId"] == MANAGER_USER_ID
    activity.subject = "Called back"
    emulator.reset_stats()
    writer.write([activity], loaded_at=timezone.now())
    assert emulator.api_calls_by_path("composite/sobjects") == 1

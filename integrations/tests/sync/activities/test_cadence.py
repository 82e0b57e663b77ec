"""When a visit's Task is written, with time travel: at the start, at most every 10 minutes
while it goes on, once more at the end; one Task per visit however often it is posted."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from integrations.choices import Lane, RunTrigger
from integrations.models import SyncRun
from integrations.services.activities_push import salesforce_activities_push
from tracking.models import Link, SyncEvent, Visit
from tracking.services.activities import links_upsert, visits_upsert

pytestmark = pytest.mark.django_db

# In the past: the emulated org's clock never runs backwards, so travelling ahead of the real
# time would leave its SystemModstamps in the future for the tests that follow.
START = timezone.now().replace(microsecond=0) - timedelta(hours=2)


@pytest.fixture
def link(task_settings, emulator):
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    deck = {"external_id": "l1", "kind": "document", "name": "Deck",
            "url": "https://docs.example.com/d/1", "account_name": "Vogel AG"}  # fmt: skip
    links_upsert(items=[deck])
    return Link.objects.get(external_id="l1")


def post(at, *, duration, ended=False):
    with time_machine.travel(at, tick=False):
        visits_upsert(items=[{
            "external_id": "v1", "link_id": "l1", "visitor_email": "ada@vogel.example",
            "started_at": START, "last_activity_at": at, "duration_seconds": duration,
            "percent_viewed": min(100.0, duration / 10), "ended": ended,
        }])  # fmt: skip
        salesforce_activities_push()


def writes() -> list[SyncEvent]:
    visit = Visit.objects.get(external_id="v1")
    return list(
        SyncEvent.objects.filter(content_type__model="visit", object_id=visit.pk).order_by("pk")
    )


def test_a_short_visit_is_written_when_it_starts_and_when_it_ends(link, tasks):
    post(START, duration=0)
    for minute in range(1, 9):
        post(START + timedelta(minutes=minute), duration=minute * 60)
    post(START + timedelta(minutes=9), duration=540, ended=True)

    assert [event.operation for event in writes()] == ["create", "update"]
    (task,) = tasks()
    assert "Duration: 9 min 0 s" in task["Description"]
    runs = SyncRun.objects.filter(lane=Lane.ACTIVITIES)
    assert set(runs.values_list("trigger", flat=True)) == {RunTrigger.EVENT}
    assert runs.count() == 2  # nothing was due for the posts in between


def test_a_long_visit_is_written_at_most_every_ten_minutes_then_at_its_end(link, tasks):
    for minute in range(0, 35):
        post(START + timedelta(minutes=minute), duration=minute * 60)
    post(START + timedelta(minutes=35), duration=35 * 60, ended=True)

    written = writes()
    assert [event.operation for event in written] == ["create", "update", "update", "update",
                                                      "update"]  # fmt: skip
    gaps = [(b.created_at - a.created_at) for a, b in zip(written, written[1:], strict=False)]
    assert gaps == [timedelta(minutes=m) for m in (10, 10, 10, 5)]
    assert len(tasks()) == 1


def test_re_posting_the_same_visit_never_creates_a_second_task(link, tasks):
    for _ in range(3):
        post(START, duration=30)
        post(START + timedelta(minutes=20), duration=30, ended=True)

    assert len(tasks()) == 1

"""Links and room links → Tasks on the Account they name, with the visitors so far."""

import pytest
from django.utils import timezone

from integrations.services.activities_push import salesforce_activities_push
from integrations.tests.sync.activities.conftest import SAM, SAM_ID
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import LinkKind
from tracking.models import Link
from tracking.services.activities import links_upsert, visits_upsert
from tracking.tests.factories import LinkFactory, RoomFactory

pytestmark = pytest.mark.django_db

WHEN = "2026-11-30T09:00:00+00:00"


def test_a_document_link_becomes_a_task_on_its_account_with_its_visitors(
    task_settings, emulator, tasks
):
    account_id = emulator.store.insert("Account", {"Name": "Vogel AG"})
    links_upsert(items=[{
        "external_id": "l1", "kind": "document", "name": "Pricing", "account_name": "Vogel AG",
        "url": "https://docs.example.com/d/pricing", "internal_url": "https://app.example/l/1",
        "external_url": "https://dl.example/x1", "owner_email": SAM, "created_at": WHEN,
    }])  # fmt: skip
    salesforce_activities_push()

    (task,) = tasks()
    assert task["WhatId"] == account_id
    assert task["OwnerId"] == SAM_ID
    assert task["Subject"] == "Link created: Pricing"
    assert task["Description"].splitlines() == [
        "Document: Pricing",
        "Account: Vogel AG",
        "Document URL: https://docs.example.com/d/pricing",
        "Internal link: https://app.example/l/1",
        "External link: https://dl.example/x1",
    ]

    for number, email in enumerate(["ada@vogel.example", "bo@vogel.example", "ada@vogel.example"]):
        visits_upsert(items=[{"external_id": f"v{number}", "link_id": "l1", "visitor_email": email,
                              "started_at": WHEN}])  # fmt: skip
        salesforce_activities_push()

    (task,) = tasks()
    assert task["Description"].splitlines()[-1] == "Visitors: ada@vogel.example, bo@vogel.example"


def test_a_room_link_has_the_room_fields(task_settings, emulator, tasks):
    emulator.store.insert("Account", {"Name": "Data Room Co"})
    room = RoomFactory(name="Due diligence", url="https://rooms.example/r/1")
    LinkFactory(
        kind=LinkKind.ROOM,
        document=None,
        room=room,
        account_name="Data Room Co",
        internal_url="https://app.example/r/1",
        local_modified_at=timezone.now(),
    )

    run_cycle()

    (task,) = tasks()
    assert task["Subject"] == "Room link created: Due diligence"
    assert task["Description"].splitlines() == [
        "Room: Due diligence",
        "Account: Data Room Co",
        "Room URL: https://rooms.example/r/1",
        "Internal link: https://app.example/r/1",
    ]


def test_a_link_without_its_account_waits_and_is_written_when_the_account_appears(
    task_settings, emulator, tasks
):
    link = LinkFactory(account_name="Later Ltd", local_modified_at=timezone.now())
    run_cycle()
    assert tasks() == []
    link.refresh_from_db()
    assert link.unresolved_since is not None

    account_id = emulator.store.insert("Account", {"Name": "Later Ltd"})
    run_cycle()

    assert tasks()[0]["WhatId"] == account_id
    assert Link.objects.get(pk=link.pk).unresolved_since is None


def test_switching_off_room_links_leaves_them_out(task_settings, emulator, tasks):
    task_settings.sync_rooms = False
    task_settings.save()
    emulator.store.insert("Account", {"Name": "Acme"})
    LinkFactory(account_name="Acme", local_modified_at=timezone.now())
    LinkFactory(kind=LinkKind.ROOM, document=None, room=RoomFactory(), account_name="Acme",
                local_modified_at=timezone.now())  # fmt: skip

    run_cycle()

    assert [task["Subject"].split(":")[0] for task in tasks()] == ["Link created"]

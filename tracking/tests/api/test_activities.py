"""POST /api/v1/activities: sales users' InMails, messages, notes and calls."""

import datetime as dt

import pytest
import time_machine

from tracking.api.limits import API_MAX_BODY_BYTES
from tracking.choices import ActivityKind
from tracking.models import Activity
from tracking.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

EARLIER = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 5, 2, 9, tzinfo=dt.UTC)
CALL = {
    "external_id": "act_1",
    "kind": "call",
    "author_email": "seller@example.com",
    "contact_email": "ada@example.com",
    "contact_name": "Ada Lovelace",
    "company": "Analytical Engines",
    "subject": "Discovery call",
    "body": "Talked about the engine.\nNext: a demo.",
    "occurred_at": "2026-05-01T10:00:00+01:00",
    "duration_seconds": 900,
    "copy_to_crm": True,
}


def test_activity_is_created_with_its_author(post, django_user_model):
    seller = django_user_model.objects.create_user("seller", email="SELLER@example.com")

    with time_machine.travel(EARLIER, tick=False):
        response = post("activities", {"activities": [CALL]})

    activity = Activity.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"index": 0, "external_id": "act_1", "id": activity.pk, "status": "created"}]
    }
    assert (activity.kind, activity.author) == (ActivityKind.CALL, seller)
    assert activity.occurred_at == EARLIER
    assert (activity.duration_seconds, activity.copy_to_crm) == (900, True)
    assert activity.body == CALL["body"]
    assert activity.salesforce_object == "Task"
    assert activity.local_modified_at == EARLIER


@pytest.mark.parametrize("kind", ["inmail", "message", "note"])
def test_every_kind_is_accepted(post, kind):
    response = post("activities", {"activities": [{**CALL, "kind": kind}]})

    assert response.status_code == 200
    assert Activity.objects.get().kind == kind


def test_a_note_goes_to_a_content_note():
    assert ActivityFactory.build(kind=ActivityKind.NOTE).salesforce_object == "ContentNote"


def test_repost_is_unchanged_and_a_change_updates(post):
    with time_machine.travel(EARLIER, tick=False):
        post("activities", {"activities": [CALL]})
    with time_machine.travel(LATER, tick=False):
        same = post("activities", {"activities": [CALL]})
        changed = post("activities", {"activities": [{**CALL, "subject": "Demo call"}]})

    assert same.json()["results"][0]["status"] == "unchanged"
    assert changed.json()["results"][0]["status"] == "updated"
    activity = Activity.objects.get()
    assert (activity.subject, activity.local_modified_at) == ("Demo call", LATER)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (
            {"kind": "email"},
            "kind",
            "unknown kind 'email'; use one of: inmail, message, note, call",
        ),
        ({"kind": "Call"}, "kind", "unknown kind 'Call'"),
        ({"author_email": "seller@localhost"}, "author_email", "host name with a dot"),
        ({"contact_email": " ada@example.com"}, "contact_email", "spaces"),
        ({"occurred_at": "2026-05-01T10:00:00"}, "occurred_at", "with a zone"),
        ({"duration_seconds": "900"}, "duration_seconds", "valid integer"),
        ({"copy_to_crm": 1}, "copy_to_crm", "valid boolean"),
        ({"body": "x" * 32_001}, "body", "at most 32000 characters"),
        ({"subject": "a\x00"}, "subject", "NUL"),
    ],
)
def test_invalid_items_are_a_400_naming_item_and_field_and_nothing_is_written(
    post, change, field, reason
):
    body = {"activities": [{**CALL, "external_id": "ok"}, {**CALL, **change}]}

    response = post("activities", body)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (1, field)
    assert reason in error["reason"]
    assert not Activity.objects.exists()


def test_missing_key_is_401_and_oversized_body_is_413(post, client):
    unauthorized = post("activities", {"activities": [CALL]}, headers={})
    too_large = client.post(
        "/api/v1/activities",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(API_MAX_BODY_BYTES + 1),
    )

    assert unauthorized.status_code == 401
    assert too_large.status_code == 413
    assert not Activity.objects.exists()


def test_a_thousand_activities_take_a_bounded_number_of_queries(
    post, django_assert_max_num_queries, django_user_model
):
    django_user_model.objects.create_user("seller", email="seller@example.com")
    existing = ActivityFactory.create_batch(10)
    updates = [{**CALL, "external_id": a.external_id} for a in existing]
    new = [{**CALL, "external_id": f"new{n}"} for n in range(990)]

    with django_assert_max_num_queries(40):
        response = post("activities", {"activities": updates + new})

    statuses = [result["status"] for result in response.json()["results"]]
    assert (statuses.count("updated"), statuses.count("created")) == (10, 990)
    assert Activity.objects.filter(author__username="seller").count() == 1000

"""POST /api/v1/visits: visits of stored links; each post of a visit updates the same one."""

import datetime as dt

import pytest
import time_machine

from tracking.api.limits import API_MAX_BODY_BYTES
from tracking.models import Visit
from tracking.tests.factories import LinkFactory, VisitFactory

pytestmark = pytest.mark.django_db

EARLIER = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 5, 1, 9, 10, tzinfo=dt.UTC)


@pytest.fixture
def link():
    return LinkFactory(external_id="lnk_1")


def started(**changes) -> dict:
    return {
        "external_id": "vis_1",
        "link_id": "lnk_1",
        "visitor_email": "ada@example.com",
        "visitor_name": "Ada Lovelace",
        "company": "Analytical Engines",
        "started_at": "2026-05-01T09:00:00Z",
        "last_activity_at": "2026-05-01T09:00:05Z",
        "duration_seconds": 5,
        "percent_viewed": 4.5,
        "statistics_url": "https://docs.example.com/stats/1",
        "ended": False,
        **changes,
    }


def test_visit_is_created_on_its_link(post, link):
    with time_machine.travel(EARLIER, tick=False):
        response = post("visits", {"visits": [started()]})

    visit = Visit.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"index": 0, "external_id": "vis_1", "id": visit.pk, "status": "created"}]
    }
    assert visit.link == link
    assert visit.started_at == EARLIER
    assert (visit.duration_seconds, visit.percent_viewed, visit.ended) == (5, 4.5, False)
    assert visit.local_modified_at == EARLIER


def test_each_post_of_a_visit_updates_the_same_visit(post, link):
    with time_machine.travel(EARLIER, tick=False):
        post("visits", {"visits": [started()]})
    with time_machine.travel(LATER, tick=False):
        progress = post("visits", {"visits": [started(duration_seconds=300, percent_viewed=60)]})
        again = post("visits", {"visits": [started(duration_seconds=300, percent_viewed=60)]})
        ended = post(
            "visits", {"visits": [started(duration_seconds=310, percent_viewed=100, ended=True)]}
        )

    statuses = [r.json()["results"][0]["status"] for r in (progress, again, ended)]
    assert statuses == ["updated", "unchanged", "updated"]
    visit = Visit.objects.get()
    assert (visit.duration_seconds, visit.percent_viewed, visit.ended) == (310, 100, True)
    assert visit.local_modified_at == LATER


def test_a_progress_post_may_leave_fields_out(post, link):
    post("visits", {"visits": [started()]})

    post(
        "visits",
        {
            "visits": [
                {
                    "external_id": "vis_1",
                    "link_id": "lnk_1",
                    "started_at": "2026-05-01T09:00:00Z",
                    "duration_seconds": 60,
                }
            ]
        },
    )

    visit = Visit.objects.get()
    assert (visit.duration_seconds, visit.visitor_email) == (60, "ada@example.com")


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"link_id": "lnk_unknown"}, "link_id", "unknown link"),
        ({"percent_viewed": 100.5}, "percent_viewed", "less than or equal to 100"),
        ({"percent_viewed": -1}, "percent_viewed", "greater than or equal to 0"),
        ({"percent_viewed": "50"}, "percent_viewed", "valid number"),
        ({"duration_seconds": -1}, "duration_seconds", "greater than or equal to 0"),
        ({"duration_seconds": 1.5}, "duration_seconds", "valid integer"),
        ({"duration_seconds": 2**31}, "duration_seconds", "less than or equal to"),
        ({"ended": "yes"}, "ended", "valid boolean"),
        ({"started_at": "2026-05-01"}, "started_at", "with a zone"),
        ({"started_at": None}, "started_at", "with a zone"),
        ({"visitor_email": "ada@[127.0.0.1]"}, "visitor_email", "IP address"),
        ({"statistics_url": "javascript:alert(1)"}, "statistics_url", "http(s) URL"),
    ],
)
def test_invalid_items_are_a_400_naming_item_and_field_and_nothing_is_written(
    post, link, change, field, reason
):
    response = post("visits", {"visits": [started(external_id="ok"), started(**change)]})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (1, field)
    assert reason in error["reason"]
    assert not Visit.objects.exists()


def test_missing_started_at_is_required(post, link):
    item = started()
    del item["started_at"]

    response = post("visits", {"visits": [item]})

    assert response.json()["errors"] == [{"index": 0, "field": "started_at", "reason": "required"}]


def test_missing_key_is_401_and_oversized_body_is_413(post, client, link):
    unauthorized = post("visits", {"visits": [started()]}, headers={})
    too_large = client.post(
        "/api/v1/visits",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(API_MAX_BODY_BYTES + 1),
    )

    assert unauthorized.status_code == 401
    assert too_large.status_code == 413
    assert not Visit.objects.exists()


def test_a_thousand_visits_take_a_bounded_number_of_queries(
    post, link, django_assert_max_num_queries
):
    other = LinkFactory(external_id="lnk_2")
    existing = VisitFactory.create_batch(10, link=link)
    progress = [started(external_id=visit.external_id, duration_seconds=600) for visit in existing]
    new = [started(external_id=f"new{n}", link_id=["lnk_1", "lnk_2"][n % 2]) for n in range(990)]

    with django_assert_max_num_queries(40):
        response = post("visits", {"visits": progress + new})

    statuses = [result["status"] for result in response.json()["results"]]
    assert (statuses.count("updated"), statuses.count("created")) == (10, 990)
    assert other.visits.count() == 495

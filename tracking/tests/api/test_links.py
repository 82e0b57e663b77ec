"""POST /api/v1/links: links to documents and rooms, upserted by external_id."""

import datetime as dt

import pytest
import time_machine

from tracking.api.limits import API_MAX_BODY_BYTES
from tracking.choices import LinkKind, Origin
from tracking.models import Document, Link, Room
from tracking.tests.factories import LinkFactory

pytestmark = pytest.mark.django_db

DECK = {
    "external_id": "lnk_1",
    "kind": "document",
    "name": "Pitch deck.pdf",
    "account_name": "Acme",
    "url": "https://docs.example.com/d/deck",
    "internal_url": "https://docs.example.com/internal/1",
    "external_url": "https://docs.example.com/view/abc",
    "owner_email": "Seller@Example.com",
    "created_at": "2026-05-01T11:30:00+02:00",
}
EARLIER = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 5, 2, 9, tzinfo=dt.UTC)


def test_new_document_link_creates_its_document_and_maps_the_owner(post, django_user_model):
    seller = django_user_model.objects.create_user("seller", email="seller@example.com")

    with time_machine.travel(EARLIER, tick=False):
        response = post("links", {"links": [DECK]})

    link = Link.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"index": 0, "external_id": "lnk_1", "id": link.pk, "status": "created"}]
    }
    assert link.kind == LinkKind.DOCUMENT
    assert (link.document.name, link.document.url) == (DECK["name"], DECK["url"])
    assert link.room is None
    assert link.owner == seller
    assert link.shared_at == dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)
    assert link.origin == Origin.LOCAL
    assert link.local_modified_at == EARLIER


def test_room_link_creates_its_room(post):
    room = {
        "external_id": "lnk_2",
        "kind": "room",
        "name": "Deal room",
        "url": "docs.example.com/r",
    }

    response = post("links", {"links": [room]})

    link = Link.objects.get()
    assert response.status_code == 200
    assert link.document is None
    assert (link.room.name, link.room.url) == ("Deal room", "https://docs.example.com/r")
    assert link.owner is None  # no such user: staff only


def test_identical_repost_is_unchanged_and_a_change_updates(post):
    with time_machine.travel(EARLIER, tick=False):
        post("links", {"links": [DECK]})
    with time_machine.travel(LATER, tick=False):
        same = post("links", {"links": [DECK]})
        renamed = post("links", {"links": [{**DECK, "name": "Deck v2.pdf"}]})

    assert same.json()["results"][0]["status"] == "unchanged"
    assert renamed.json()["results"][0]["status"] == "updated"
    link = Link.objects.get()
    assert link.local_modified_at == LATER
    assert link.document.name == "Deck v2.pdf"
    assert Document.objects.count() == 1


def test_links_with_one_url_share_the_document(post):
    second = {**DECK, "external_id": "lnk_9", "owner_email": ""}

    post("links", {"links": [DECK, second]})

    assert Link.objects.count() == 2
    assert Document.objects.count() == 1


def test_fields_left_out_are_kept(post):
    post("links", {"links": [DECK]})

    response = post(
        "links", {"links": [{"external_id": "lnk_1", "kind": "document", "url": DECK["url"]}]}
    )

    link = Link.objects.get()
    assert response.json()["results"][0]["status"] == "unchanged"
    assert (link.account_name, link.owner_email) == ("Acme", DECK["owner_email"])
    assert link.document.name == DECK["name"]


def test_a_link_can_move_from_a_document_to_a_room(post):
    post("links", {"links": [DECK]})

    post("links", {"links": [{**DECK, "kind": "room", "url": "https://docs.example.com/r/1"}]})

    link = Link.objects.get()
    assert (link.kind, link.document, link.room) == (LinkKind.ROOM, None, Room.objects.get())


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"kind": "video"}, "kind", "unknown kind 'video'; use one of: document, room"),
        ({"url": "ftp://docs.example.com/x"}, "url", "not a valid http(s) URL"),
        ({"url": ""}, "url", "must not be blank"),
        ({"owner_email": "not an email"}, "owner_email", "not a valid email address"),
        ({"created_at": "2026-05-01T09:30:00"}, "created_at", "with a zone"),
        ({"created_at": "yesterday"}, "created_at", "with a zone"),
        ({"created_at": 1777000000}, "created_at", "with a zone"),
        ({"created_at": "0001-01-01T00:00:00+01:00"}, "created_at", "out of range"),
        ({"name": "a\x00b"}, "name", "NUL"),
        ({"account_name": "\udfff"}, "account_name", "surrogate"),
        ({"external_id": " "}, "external_id", "must not be blank"),
        ({"colour": "red"}, "colour", "unknown field"),
    ],
)
def test_invalid_items_are_a_400_naming_item_and_field_and_nothing_is_written(
    post, change, field, reason
):
    body = {"links": [{**DECK, "external_id": "ok"}, {**DECK, **change}]}

    response = post("links", body)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (1, field)
    assert reason in error["reason"]
    assert not Link.objects.exists()
    assert not Document.objects.exists()


def test_duplicate_external_id_in_one_request_is_a_400(post):
    response = post("links", {"links": [DECK, DECK]})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "index": 1,
            "field": "external_id",
            "reason": "duplicate external_id in this request (same as item 0)",
        }
    ]


def test_more_than_a_thousand_links_is_a_400(post):
    items = [{**DECK, "external_id": f"l{n}"} for n in range(1001)]

    response = post("links", {"links": items})

    assert response.status_code == 400
    assert response.json()["errors"][0]["reason"] == "too many items: at most 1,000 per request"


def test_missing_key_is_401_and_oversized_body_is_413(post, client):
    unauthorized = post("links", {"links": [DECK]}, headers={})
    too_large = client.post(
        "/api/v1/links",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(API_MAX_BODY_BYTES + 1),
    )

    assert unauthorized.status_code == 401
    assert too_large.status_code == 413
    assert not Link.objects.exists()


def test_a_thousand_links_take_a_bounded_number_of_queries(
    post, django_assert_max_num_queries, django_user_model
):
    django_user_model.objects.create_user("seller", email="seller@example.com")
    existing = LinkFactory.create_batch(10)
    updates = [
        {
            "external_id": link.external_id,
            "kind": "document",
            "url": link.document.url,
            "name": "New",
        }
        for link in existing
    ]
    new = [
        {**DECK, "external_id": f"new{n}", "url": f"https://docs.example.com/d/{n % 500}"}
        for n in range(990)
    ]

    # SQLite takes 999 parameters a statement: a thousand inserts go in about thirty batches.
    with django_assert_max_num_queries(45):
        response = post("links", {"links": updates + new})

    statuses = [result["status"] for result in response.json()["results"]]
    assert (statuses.count("updated"), statuses.count("created")) == (10, 990)
    assert Document.objects.count() == 510
    assert Link.objects.filter(owner__email="seller@example.com").count() == 990

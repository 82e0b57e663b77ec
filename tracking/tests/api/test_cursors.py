"""Keyset paging of the read API: every record once, whatever is written while paging."""

import datetime as dt

import pytest
import time_machine

from tracking.api.cursors import cursor_decode, cursor_encode
from tracking.api.read_params import QueryError
from tracking.choices import EventStatus, Operation
from tracking.models import Contact
from tracking.tests.factories import (
    CompanyFactory,
    ContactFactory,
    SyncEventFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sync_leaves_nothing_out")]

START = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


def contacts_at(times):
    """One contact written at each time (several may share one: ties break by id)."""
    contacts = []
    for when in times:
        with time_machine.travel(when, tick=False):
            contacts.append(ContactFactory())
    return contacts


def read_all(get, params, *, between_pages=None):
    seen, cursor, pages = [], None, 0
    while True:
        response = get("contacts", {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        body = response.json()
        seen += [item["id"] for item in body["results"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages
        if between_pages:
            between_pages(pages)


def test_pages_follow_write_order_with_ties_broken_by_id(get):
    # given: seven contacts, three of them written at the same instant
    times = [START, START, START, *(START + dt.timedelta(minutes=n) for n in range(1, 5))]
    contacts = contacts_at(times)
    # when
    seen, pages = read_all(get, {"limit": 2})
    # then
    assert seen == [contact.pk for contact in contacts]
    assert pages == 4


def test_updated_since_lists_what_was_written_from_then_on(get):
    old, new, newer = contacts_at(
        [START, START + dt.timedelta(hours=1), START + dt.timedelta(hours=2)]
    )

    seen, _ = read_all(get, {"updated_since": "2026-01-01T10:00:00+00:00"})

    assert seen == [new.pk, newer.pk]
    assert old.pk not in seen


def test_writes_while_paging_skip_nothing_and_move_the_written_behind(get):
    # given: nine contacts, read three at a time
    contacts = contacts_at([START + dt.timedelta(minutes=n) for n in range(9)])
    first_page, unseen = contacts[0], contacts[5]
    later = START + dt.timedelta(hours=1)

    def write_meanwhile(pages):
        if pages == 1:  # after the first page: change one read and one not yet read, add one
            with time_machine.travel(later, tick=False):
                for contact in (first_page, unseen):
                    contact.title = "Changed"
                    contact.save()
                ContactFactory(email="new@example.com")

    # when
    seen, _ = read_all(get, {"limit": 3}, between_pages=write_meanwhile)
    # then: every contact at least once; the changed ones again at the end, after the new one
    assert set(seen) == set(Contact.objects.values_list("pk", flat=True))
    assert seen.count(first_page.pk) == 2
    assert seen.count(unseen.pk) == 1
    assert seen[-3:] == sorted(
        [first_page.pk, unseen.pk, Contact.objects.get(email="new@example.com").pk]
    )


def test_a_page_of_500_costs_as_many_queries_as_a_page_of_5(
    get, django_assert_num_queries, instance_url
):
    # given: contacts with companies, events and failed attempts
    for n in range(500):
        company = CompanyFactory(salesforce_id=f"001{n:015d}")
        contact = ContactFactory(
            company_record=company, salesforce_id=f"003{n:015d}", local_modified_at=START
        )  # linked, changes waiting
        if n % 2:
            SyncEventFactory(record=contact)
            SyncEventFactory(record=contact, status=EventStatus.ERROR, operation=Operation.ERROR)
    get("contacts", {"limit": 1})  # content types and the like are cached from here on
    # when / then
    with django_assert_num_queries(4) as small:  # key, key use, page, last events
        get("contacts", {"limit": 5})
    with django_assert_num_queries(4):
        body = get("contacts", {"limit": 500}).json()
    assert len(small.captured_queries) == 4
    assert len(body["results"]) == 500
    assert sum(item["salesforce"]["state"] == "error" for item in body["results"]) == 250


def test_cursor_round_trips_and_rejects_what_it_did_not_make():
    contact = ContactFactory()

    assert cursor_decode(cursor_encode(contact)) == (contact.updated_at, contact.pk)
    for forged in ["", "%%%", "bnVsbA", "WyIyMDI2LTAxLTAxIiwgLTFd", "eyJhIjogMX0"]:
        with pytest.raises(QueryError):
            cursor_decode(forged)


def test_updated_since_takes_any_iso_offset(get):
    # PostgreSQL itself takes offsets up to ±15:59 only; ISO 8601 allows up to ±23:59
    old, new = contacts_at([START, START + dt.timedelta(hours=1)])

    seen, _ = read_all(get, {"updated_since": "2026-01-02T06:00:00+20:00"})  # 10:00 UTC

    assert seen == [new.pk]
    assert old.pk not in seen

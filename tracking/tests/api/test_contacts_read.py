"""GET /api/v1/contacts: the record, its Salesforce link and sync state; bad parameters."""

import datetime as dt

import pytest
import time_machine

from tracking import hooks
from tracking.choices import Direction, EventStatus, NotSentReason, Operation
from tracking.tests.factories import (
    CompanyFactory,
    ContactEmailAliasFactory,
    ContactFactory,
    SyncEventFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sync_leaves_nothing_out")]

SYNCED_AT = dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC)
EARLIER = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


def synced_contact(**fields):
    fields.setdefault("salesforce_id", "003000000000001AAA")
    fields.setdefault("salesforce_object", "Contact")
    return ContactFactory(local_modified_at=EARLIER, salesforce_synced_at=SYNCED_AT, **fields)


def test_email_finds_the_contact_in_any_case_with_its_link_and_company(get, instance_url):
    company = CompanyFactory(name="Acme", domain="acme.com", salesforce_id="001000000000001AAA")
    contact = synced_contact(
        email="Ada@Example.com", first_name="Ada", company="Acme", company_record=company,
        lifecycle_stage="lead", properties={"plan": "pro"},
    )  # fmt: skip
    ContactFactory(email="other@example.com")

    response = get("contacts", {"email": "ada@EXAMPLE.com"})

    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    [found] = body["results"]
    assert found["id"] == contact.pk
    assert (found["email"], found["first_name"]) == ("Ada@Example.com", "Ada")
    assert found["company"] == "Acme"
    assert found["lifecycle_stage"] == "lead"
    assert found["properties"] == {"plan": "pro"}
    assert found["linked_company"] == {
        "id": company.pk, "name": "Acme", "domain": "acme.com",
        "salesforce_id": "001000000000001AAA",
    }  # fmt: skip
    assert found["salesforce"] == {
        "id": "003000000000001AAA",
        "object": "Contact",
        "url": f"{instance_url}/003000000000001AAA",
        "synced_at": "2026-01-02T09:00:00Z",
        "state": "synced",
        "explanation": "Synced with Salesforce Contact 003000000000001AAA on 2 Jan 2026 09:00 UTC; "
        "both sides agree.",
        "not_sent": None,
        "error": None,
    }


def test_unknown_email_is_an_empty_page(get):
    ContactFactory(email="ada@example.com")

    response = get("contacts", {"email": "nobody@example.com"})

    assert response.status_code == 200
    assert response.json() == {"results": [], "next_cursor": None}


def test_new_contact_is_pending_and_unlinked(get):
    ContactFactory(email="ada@example.com", local_modified_at=EARLIER)

    salesforce = get("contacts", {"email": "ada@example.com"}).json()["results"][0]["salesforce"]

    assert salesforce == {
        "id": None, "object": None, "url": None, "synced_at": None, "state": "pending",
        "explanation": (
            "Waiting: not in Salesforce yet; the next sync run creates it in Salesforce."
        ),
        "not_sent": None, "error": None,
    }  # fmt: skip


def test_changed_since_its_sync_is_pending_with_its_link(get):
    contact = synced_contact(email="ada@example.com")
    contact.local_modified_at = SYNCED_AT + dt.timedelta(minutes=1)
    contact.save()

    salesforce = get("contacts", {"email": "ada@example.com"}).json()["results"][0]["salesforce"]

    assert (salesforce["state"], salesforce["id"]) == ("pending", "003000000000001AAA")


def test_failed_last_attempt_is_an_error_with_code_and_hint(get):
    contact = ContactFactory(email="ada@example.com", last_name="", local_modified_at=EARLIER)
    with time_machine.travel(SYNCED_AT, tick=False):
        SyncEventFactory(
            record=contact, operation=Operation.ERROR, status=EventStatus.ERROR,
            salesforce_id="", error_code="REQUIRED_FIELD_MISSING",
            error_message="Required fields are missing: [LastName]",
            hint="Salesforce needs a last name: set one on the contact.",
        )  # fmt: skip

    salesforce = get("contacts", {"email": "ada@example.com"}).json()["results"][0]["salesforce"]

    assert salesforce["state"] == "error"
    assert salesforce["error"] == {
        "code": "REQUIRED_FIELD_MISSING",
        "message": "Required fields are missing: [LastName]",
        "hint": "Salesforce needs a last name: set one on the contact.",
        "at": "2026-01-02T09:00:00Z",
    }


@pytest.mark.parametrize(
    ("later", "state"),
    [
        ({"status": EventStatus.RETRIED}, "pending"),  # "retry" sends it again
        ({"changed_here": True}, "pending"),  # a fix made since is waiting to be sent
        ({"direction": Direction.INBOUND}, "error"),  # reads do not clear a failed send
    ],
    ids=["retried", "changed-since", "inbound-event-after"],
)
def test_an_error_lasts_until_retried_or_changed(get, later, state):
    contact = ContactFactory(email="ada@example.com", local_modified_at=EARLIER)
    with time_machine.travel(SYNCED_AT, tick=False):
        error = SyncEventFactory(
            record=contact, operation=Operation.ERROR, status=EventStatus.ERROR,
            error_code="FIELD_INTEGRITY_EXCEPTION",
        )  # fmt: skip
    with time_machine.travel(SYNCED_AT + dt.timedelta(minutes=5), tick=False):
        if later.get("status"):
            error.status = later["status"]
            error.save()
        if later.get("changed_here"):
            contact.local_modified_at = dt.datetime.now(dt.UTC)
            contact.save()
        if later.get("direction"):
            SyncEventFactory(record=contact, direction=later["direction"])

    body = get("contacts", {"email": "ada@example.com"}).json()

    assert body["results"][0]["salesforce"]["state"] == state


def test_deleted_in_salesforce_is_its_own_state(get):
    ContactFactory(email="ada@example.com", deleted_in_salesforce=True, local_modified_at=EARLIER)

    salesforce = get("contacts", {"email": "ada@example.com"}).json()["results"][0]["salesforce"]

    assert (salesforce["state"], salesforce["id"]) == ("deleted_in_salesforce", None)


def test_what_the_sync_leaves_out_is_not_sent_with_the_reason(get, monkeypatch):
    synced_contact(email="ada@example.com")
    monkeypatch.setattr(
        hooks,
        "_not_sent_provider",
        lambda model, pks: {pk: NotSentReason.OUTSIDE_INCLUSION_LIST for pk in pks},
    )

    salesforce = get("contacts", {"email": "ada@example.com"}).json()["results"][0]["salesforce"]

    assert salesforce["state"] == "not_sent"
    assert salesforce["id"] == "003000000000001AAA"  # linked, but no longer sent
    assert salesforce["not_sent"] == {
        "code": "outside_inclusion_list",
        "message": "outside the inclusion list",
    }


def test_without_an_org_the_url_is_null(get, monkeypatch):
    monkeypatch.setattr(hooks, "_instance_url_provider", None)
    synced_contact(email="ada@example.com")

    salesforce = get("contacts", {"email": "ada@example.com"}).json()["results"][0]["salesforce"]

    assert (salesforce["id"], salesforce["url"]) == ("003000000000001AAA", None)


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"cursor": "not-a-cursor"}, "cursor", "not a cursor of this API"),
        ({"cursor": "WzEsMl0"}, "cursor", "not a cursor of this API"),  # [1,2]
        ({"limit": "0"}, "limit", "greater than or equal to 1"),
        ({"limit": "501"}, "limit", "less than or equal to 500"),
        ({"limit": "many"}, "limit", "valid integer"),
        ({"updated_since": "yesterday"}, "updated_since", "not an ISO 8601 date and time"),
        ({"updated_since": "0.5"}, "updated_since", "not an ISO 8601 date and time"),
        ({"updated_since": "0001-01-01T00:00:00+23:00"}, "updated_since", "not an ISO 8601"),
        ({"updated_since": "1767258000"}, "updated_since", "not an ISO 8601 date and time"),
        ({"updated_since": "2026-01-01T09:00:00"}, "updated_since", "needs a time zone"),
        ({"email": "  "}, "email", "must not be blank"),
        ({"email": "a" * 255}, "email", "at most 254 characters"),
        ({"emial": "ada@example.com"}, "emial", "unknown parameter"),
        ({"email": ["ada@example.com", "bob@example.com"]}, "email", "given more than once"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(get, params, field, reason):
    response = get("contacts", params)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid query parameters: nothing was read."
    [error] = body["errors"]
    assert (error["index"], error["field"]) == (None, field)
    assert reason in error["reason"]


def test_reading_needs_a_valid_key(get):
    ContactFactory(email="ada@example.com")

    missing = get("contacts", {"email": "ada@example.com"}, headers={})
    wrong = get("contacts", {}, headers={"Authorization": "Bearer crmb_wrong"})

    assert missing.status_code == wrong.status_code == 401
    assert missing["WWW-Authenticate"] == "Bearer"
    assert "results" not in missing.json()


def test_a_revoked_key_reads_nothing(get, api_key):
    ContactFactory(email="ada@example.com")
    api_key.revoked = True
    api_key.save()

    assert get("contacts", {"email": "ada@example.com"}).status_code == 401


def test_an_email_merged_away_in_salesforce_finds_the_contact_that_follows_the_master(get):
    survivor = synced_contact(email="ada@example.com")
    ContactEmailAliasFactory(email="ada.l@example.com", contact=survivor)
    ContactEmailAliasFactory(email="ada.b@example.com", contact=survivor)

    found = get("contacts", {"email": "Ada.L@example.com"}).json()["results"]
    own = get("contacts", {"email": "ada@example.com"}).json()["results"]

    assert [contact["id"] for contact in found] == [survivor.pk]
    assert found[0]["email"] == "ada@example.com"
    assert [contact["id"] for contact in own] == [survivor.pk]


def test_a_contact_with_the_email_itself_comes_before_an_alias_when_reading(get):
    survivor = synced_contact(email="ada@example.com")
    ContactEmailAliasFactory(email="ada.l@example.com", contact=survivor)
    other = ContactFactory(email="ada.l@example.com")

    found = get("contacts", {"email": "ada.l@example.com"}).json()["results"]

    assert [contact["id"] for contact in found] == [other.pk]

"""The records' admin: contacts, companies, opportunities and API keys."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracking.models import ApiKey, Company
from tracking.tests.factories import (
    ActivityFactory,
    ApiKeyFactory,
    CompanyFactory,
    ContactEmailAliasFactory,
    ContactFactory,
    DocumentFactory,
    LinkFactory,
    OpportunityFactory,
    RoomFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

KEY_PATTERN = re.compile(r"crmb_[A-Za-z0-9_-]{43}")
EARLIER = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC)


def contact_form(contact, **changes):
    data = {
        "email": contact.email,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": contact.company,
        "company_record": contact.company_record_id or "",
        "title": contact.title,
        "phone": contact.phone,
        "state": contact.state,
        "country": contact.country,
        "lifecycle_stage": contact.lifecycle_stage,
        "owner": contact.owner_id or "",
        "properties": json.dumps(contact.properties),
        # The page's hidden initial value of a field with a callable default.
        "initial-properties": json.dumps(contact.properties),
    }
    return {**data, **changes}


def test_new_api_key_is_shown_once_on_the_page_that_created_it(admin_client, client):
    response = admin_client.post(reverse("admin:tracking_apikey_add"), {"name": "Host product"})

    keys = KEY_PATTERN.findall(response.content.decode())
    api_key = ApiKey.objects.get()
    assert response.status_code == 200  # this page, not a redirect to one that shows it
    assert len(set(keys)) == 1
    key = keys[0]
    assert "no-store" in response["Cache-Control"]
    assert api_key.name == "Host product"
    assert api_key.prefix == key[:8]
    assert api_key.key_hash == ApiKey.hash_key(key)
    assert LogEntry.objects.filter(object_id=str(api_key.pk)).exists()
    # nothing carries it on: no message in a cookie or in the session
    assert all(key not in morsel.value for morsel in admin_client.cookies.values())
    assert key not in str(dict(admin_client.session))

    later_pages = [
        admin_client.get(reverse("admin:tracking_apikey_changelist")),
        admin_client.get(reverse("admin:tracking_apikey_change", args=[api_key.pk])),
    ]
    assert all(key not in page.content.decode() for page in later_pages)
    assert api_key.prefix in later_pages[0].content.decode()

    api_response = client.post(
        "/api/v1/contacts",
        data=json.dumps({"contacts": [{"email": "ada@example.com"}]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert api_response.status_code == 200


def test_an_api_key_with_an_invalid_name_is_a_form_error(admin_client):
    response = admin_client.post(reverse("admin:tracking_apikey_add"), {"name": ""})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoke_action_revokes_and_logs(admin_client):
    active, other = ApiKeyFactory(), ApiKeyFactory()

    response = admin_client.post(
        reverse("admin:tracking_apikey_changelist"),
        {"action": "revoke", "_selected_action": [active.pk]},
        follow=True,
    )

    active.refresh_from_db()
    other.refresh_from_db()
    assert "Revoked 1 API key(s)." in response.content.decode()
    assert (active.revoked, other.revoked) == (True, False)
    assert LogEntry.objects.get(object_id=str(active.pk)).change_message == "Revoked"


def test_contact_edit_marks_it_modified_and_unchanged_save_does_not(admin_client):
    with time_machine.travel(EARLIER, tick=False):
        contact = ContactFactory(local_modified_at=EARLIER)
    url = reverse("admin:tracking_contact_change", args=[contact.pk])

    with time_machine.travel(LATER, tick=False):
        admin_client.post(url, contact_form(contact))
    contact.refresh_from_db()
    assert contact.local_modified_at == EARLIER

    with time_machine.travel(LATER, tick=False):
        response = admin_client.post(url, contact_form(contact, title="Chief Engineer"))
    contact.refresh_from_db()
    assert response.status_code == 302
    assert contact.title == "Chief Engineer"
    assert contact.local_modified_at == LATER


def test_contact_page_links_to_its_sync_history(admin_client):
    contact = ContactFactory()

    response = admin_client.get(reverse("admin:tracking_contact_change", args=[contact.pk]))

    assert f'href="/records/contacts/{contact.pk}/history/"' in response.content.decode()


def test_contact_page_shows_the_emails_merged_away_that_find_it(admin_client):
    contact = ContactFactory()
    ContactEmailAliasFactory(email="ada.l@example.com", contact=contact)

    response = admin_client.get(reverse("admin:tracking_contact_change", args=[contact.pk]))

    assert "Also known by" in response.content.decode()
    assert "ada.l@example.com" in response.content.decode()


@pytest.mark.parametrize(
    ("model", "kind", "factory"),
    [
        ("contact", "contacts", ContactFactory),
        ("company", "companies", CompanyFactory),
        ("opportunity", "opportunities", OpportunityFactory),
        ("document", "documents", DocumentFactory),
        ("room", "rooms", RoomFactory),
        ("link", "links", LinkFactory),
        ("visit", "visits", VisitFactory),
        ("activity", "activities", ActivityFactory),
    ],
)
def test_every_synced_record_page_links_to_its_sync_history(admin_client, model, kind, factory):
    record = factory()

    response = admin_client.get(reverse(f"admin:tracking_{model}_change", args=[record.pk]))

    history = reverse("records:history", args=[kind, record.pk])
    assert response.status_code == 200
    assert f'href="{history}">Every sync change of this {model}</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("contact", ContactFactory),
        ("company", CompanyFactory),
        ("opportunity", OpportunityFactory),
        ("document", DocumentFactory),
        ("room", RoomFactory),
        ("link", LinkFactory),
        ("visit", VisitFactory),
        ("activity", ActivityFactory),
    ],
)
def test_record_lists_take_the_same_queries_for_one_or_many_rows(admin_client, model, factory):
    url = reverse(f"admin:tracking_{model}_changelist")
    factory()
    admin_client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    factory.create_batch(5)
    with CaptureQueriesContext(connection) as six:
        response = admin_client.get(url)

    assert response.context["cl"].result_count == 6
    assert len(six) == len(one)


def test_company_added_in_admin_is_local_and_marked_modified(admin_client):
    admin_client.post(
        reverse("admin:tracking_company_add"),
        {"name": "Acme", "domain": "acme.com", "website": "https://acme.com"},
    )

    company = Company.objects.get()
    assert company.origin == "local"
    assert company.local_modified_at is not None


def test_opportunities_are_read_only(admin_client):
    opportunity = OpportunityFactory(name="Big deal")

    change = admin_client.get(reverse("admin:tracking_opportunity_change", args=[opportunity.pk]))
    add = admin_client.get(reverse("admin:tracking_opportunity_add"))

    assert change.status_code == 200
    assert "Big deal" in change.content.decode()
    assert 'name="_save"' not in change.content.decode()
    assert add.status_code == 403


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("document", DocumentFactory),
        ("room", RoomFactory),
        ("link", LinkFactory),
        ("visit", VisitFactory),
        ("activity", ActivityFactory),
    ],
)
def test_tracking_records_are_shown_not_edited(admin_client, model, factory):
    record = factory()

    change = admin_client.get(reverse(f"admin:tracking_{model}_change", args=[record.pk]))
    add = admin_client.get(reverse(f"admin:tracking_{model}_add"))

    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert add.status_code == 403


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("link", "?q=acme&kind__exact=document"),
        ("visit", "?q=ada@example.com&ended__exact=1"),
        ("activity", "?q=ada@example.com&kind__exact=call&copy_to_crm__exact=1"),
        ("document", "?q=deck.pdf"),
    ],
)
def test_tracking_lists_search_and_filter(admin_client, model, query):
    deck = DocumentFactory(name="Deck.pdf")
    LinkFactory(document=deck, name="Deck.pdf", account_name="Acme")
    VisitFactory(visitor_email="ada@example.com", ended=True)
    ActivityFactory(contact_email="ada@example.com", kind="call", copy_to_crm=True)
    # one more of each that the search or the filter leaves out
    LinkFactory(account_name="Other")
    VisitFactory(visitor_email="ada@example.com", ended=False)
    ActivityFactory(contact_email="ada@example.com", kind="note", copy_to_crm=True)

    response = admin_client.get(reverse(f"admin:tracking_{model}_changelist") + query)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("contact", "?q=example&lifecycle_stage__exact=lead&origin__exact=local"),
        ("company", "?q=acme&origin__exact=local"),
        ("opportunity", "?q=deal&is_won__exact=1"),
        ("apikey", "?q=host&revoked__exact=0"),
    ],
)
def test_lists_search_and_filter(admin_client, model, query):
    company = CompanyFactory(name="Acme")
    ContactFactory(company="Acme", company_record=company, lifecycle_stage="lead")
    OpportunityFactory(company=company, is_won=True)
    ApiKeyFactory(name="Host product")
    # one more of each that the search or the filter leaves out
    ContactFactory(lifecycle_stage="customer")
    OpportunityFactory(name="Small deal", is_won=False)
    ApiKeyFactory(name="Host staging", revoked=True)

    response = admin_client.get(reverse(f"admin:tracking_{model}_changelist") + query)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1

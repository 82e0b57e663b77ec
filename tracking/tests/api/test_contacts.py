"""POST /api/v1/contacts: upsert by email, all or nothing."""

import datetime as dt

import pytest
import time_machine

from tracking.choices import Origin
from tracking.models import Contact
from tracking.tests.factories import CompanyFactory, ContactEmailAliasFactory, ContactFactory

pytestmark = pytest.mark.django_db

ADA = {
    "email": "ada@example.com",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "company": "Analytical Engines",
    "title": "Engineer",
    "phone": "+44 20 7946 0000",
    "state": "London",
    "country": "United Kingdom",
    "lifecycle_stage": "lead",
    "properties": {"plan": "pro", "seats": 3},
}
EARLIER = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC)


def test_new_contact_is_created_as_local_and_marked_modified(post):
    with time_machine.travel(EARLIER, tick=False):
        response = post("contacts", {"contacts": [ADA]})

    contact = Contact.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"index": 0, "email": ADA["email"], "id": contact.pk, "status": "created"}]
    }
    assert contact.origin == Origin.LOCAL
    assert contact.local_modified_at == EARLIER
    assert (contact.first_name, contact.country, contact.lifecycle_stage) == (
        "Ada",
        "United Kingdom",
        "lead",
    )
    assert contact.properties == {"plan": "pro", "seats": 3}


def test_identical_repost_is_unchanged_and_keeps_modified_time(post):
    with time_machine.travel(EARLIER, tick=False):
        post("contacts", {"contacts": [ADA]})
    with time_machine.travel(LATER, tick=False):
        response = post("contacts", {"contacts": [ADA]})

    assert response.json()["results"][0]["status"] == "unchanged"
    assert Contact.objects.get().local_modified_at == EARLIER


def test_changed_value_updates_and_bumps_modified_time(post):
    with time_machine.travel(EARLIER, tick=False):
        post("contacts", {"contacts": [ADA]})
    with time_machine.travel(LATER, tick=False):
        response = post("contacts", {"contacts": [{**ADA, "title": "Countess"}]})

    contact = Contact.objects.get()
    assert response.json()["results"][0]["status"] == "updated"
    assert contact.title == "Countess"
    assert contact.local_modified_at == LATER


def test_email_matches_in_any_case_and_keeps_the_stored_email(post):
    contact = ContactFactory(email="Grace.Hopper@Example.com", first_name="Grace")

    response = post(
        "contacts", {"contacts": [{"email": "grace.hopper@EXAMPLE.COM", "title": "RADM"}]}
    )

    assert response.json()["results"] == [
        {"index": 0, "email": "Grace.Hopper@Example.com", "id": contact.pk, "status": "updated"}
    ]
    contact.refresh_from_db()
    assert (contact.title, contact.first_name) == ("RADM", "Grace")
    assert Contact.objects.count() == 1


def test_fields_left_out_are_kept_and_null_clears(post):
    post("contacts", {"contacts": [ADA]})

    post("contacts", {"contacts": [{"email": ADA["email"], "phone": None}]})

    contact = Contact.objects.get()
    assert contact.phone == ""
    assert contact.title == "Engineer"


def test_properties_are_merged_and_null_removes_a_key(post):
    post("contacts", {"contacts": [ADA]})

    post(
        "contacts",
        {"contacts": [{"email": ADA["email"], "properties": {"seats": None, "region": "EU"}}]},
    )

    assert Contact.objects.get().properties == {"plan": "pro", "region": "EU"}


def test_company_name_links_the_company_of_that_name(post):
    company = CompanyFactory(name="Analytical Engines Ltd")

    post("contacts", {"contacts": [{**ADA, "company": "analytical engines LTD"}]})
    assert Contact.objects.get().company_record == company

    response = post("contacts", {"contacts": [{**ADA, "company": "Someone Else"}]})
    assert response.json()["results"][0]["status"] == "updated"
    assert Contact.objects.get().company_record is None


def test_mixed_batch_reports_each_status(post):
    existing = ContactFactory(email="known@example.com", first_name="Known")
    same = ContactFactory(email="same@example.com", first_name="Same", last_name="")

    response = post(
        "contacts",
        {
            "contacts": [
                {"email": "new@example.com"},
                {"email": "KNOWN@example.com", "first_name": "Renamed"},
                {"email": "same@example.com", "first_name": "Same", "last_name": ""},
            ]
        },
    )

    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "updated", "unchanged"]
    assert [r["id"] for r in results[1:]] == [existing.pk, same.pk]


def test_invalid_items_are_each_reported_and_nothing_is_written(post):
    existing = ContactFactory(email="known@example.com", first_name="Known")
    body = {
        "contacts": [
            {"email": "valid@example.com"},
            {"email": "not-an-email"},
            {"email": "known@example.com", "first_name": "Changed", "lifecycle_stage": "vip"},
            {"email": "long@example.com", "first_name": "x" * 41},
            {"email": "VALID@example.com"},
            {"email": "typo@example.com", "lifecycle": "lead"},
        ]
    }

    response = post("contacts", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 1, "field": "email", "reason": "not a valid email address"},
        {
            "index": 2,
            "field": "lifecycle_stage",
            "reason": "unknown lifecycle stage 'vip'; use one of: subscriber, lead, "
            "marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other",
        },
        {
            "index": 3,
            "field": "first_name",
            "reason": "too long for the field: at most 40 characters",
        },
        {"index": 5, "field": "lifecycle", "reason": "unknown field"},
    ]
    assert list(Contact.objects.values_list("email", flat=True)) == ["known@example.com"]
    existing.refresh_from_db()
    assert existing.first_name == "Known"


def test_duplicate_email_in_one_request_is_rejected(post):
    body = {
        "contacts": [
            {"email": "a@example.com"},
            {"email": "b@example.com"},
            {"email": "A@Example.com"},
        ]
    }

    response = post("contacts", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 2, "field": "email", "reason": "duplicate email in this request (same as item 0)"}
    ]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            {"contacts": [{"email": f"p{n}@example.com"} for n in range(1001)]},
            {
                "index": None,
                "field": "contacts",
                "reason": "too many items: at most 1,000 per request",
            },
        ),
        (
            {"contacts": []},
            {"index": None, "field": "contacts", "reason": "at least one item is required"},
        ),
        ({}, {"index": None, "field": "contacts", "reason": "required"}),
        ([], {"index": None, "field": "body", "reason": "the body must be a JSON object"}),
    ],
)
def test_request_level_errors(post, body, error):
    response = post("contacts", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [error]
    assert not Contact.objects.exists()


@pytest.mark.parametrize("data", ["{not json", b"\x00", b"\xff\xfe"])
def test_malformed_json_is_a_400_in_the_documented_shape(client, auth_headers, data):
    response = client.post(
        "/api/v1/contacts", data=data, content_type="application/json", headers=auth_headers
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid input: nothing of this request was written."
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (None, "body")
    assert error["reason"].startswith("not valid JSON")


def test_a_thousand_contacts_take_a_bounded_number_of_queries(post, django_assert_max_num_queries):
    CompanyFactory(name="Acme")
    ContactFactory.create_batch(10)
    existing = [{"email": c.email, "title": "Updated"} for c in Contact.objects.all()]
    new = [
        {"email": f"new{n}@example.com", "company": "acme", "properties": {"n": n}}
        for n in range(1000 - len(existing))
    ]

    with django_assert_max_num_queries(40):
        response = post("contacts", {"contacts": existing + new})

    statuses = [result["status"] for result in response.json()["results"]]
    assert statuses.count("updated") == 10
    assert statuses.count("created") == 990
    assert Contact.objects.filter(company_record__name="Acme").count() == 990


@pytest.mark.parametrize(
    ("properties", "field", "reason"),
    [
        ({"score": float("nan")}, "properties.score", "NaN"),
        ({"score": float("inf")}, "properties.score", "Infinity"),
        ({"deep": {"list": [1, float("-inf")]}}, "properties.deep.list.1", "Infinity"),
        ({"note": "a\x00b"}, "properties.note", "NUL"),
        ({"a\x00b": 1}, "properties.a\x00b", "NUL"),
        ({"note": "\udfff"}, "properties.note", "surrogate"),
        ({"\ud800": "x"}, "properties.\\ud800", "surrogate"),
    ],
)
def test_properties_no_database_can_store_are_a_400(post, properties, field, reason):
    response = post("contacts", {"contacts": [{**ADA, "properties": properties}]})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (0, field)
    assert reason in error["reason"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize("field", ["email", "first_name", "last_name", "title", "company"])
@pytest.mark.parametrize(("value", "reason"), [("a\x00b", "NUL"), ("a\udfffb", "surrogate")])
def test_text_no_database_can_store_is_a_400(post, field, value, reason):
    response = post("contacts", {"contacts": [{**ADA, field: value}]})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (0, field)
    assert reason in error["reason"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ('"ada"@example.com', "quoted"),
        ('"ada lovelace"@example.com', "quoted"),
        ("ada@[192.0.2.1]", "IP address"),
        ("ada@[IPv6:2001:db8::1]", "IP address"),
        ("ada\u200b@example.com", "invisible"),
        ("ada@exam\u200bple.com", "invisible"),
        ("ada@example.com\u00ad", "invisible"),
        ("\ufeffada@example.com", "invisible"),
        ("ada@localhost", "host name"),
        ("ada(comment)@example.com", "comments"),
        ("ada@münchen.de", "xn-- form"),
        ("ada@192.0.2.1", "IP address"),
        (" ada@example.com", "spaces"),
        (f"{'a' * 69}@example.com", "at most 80 characters"),
    ],
)
def test_emails_salesforce_refuses_are_a_400_before_any_salesforce_call(post, email, reason):
    response = post("contacts", {"contacts": [{**ADA, "email": email}]})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (0, "email")
    assert reason in error["reason"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "email", ["o'brien+crm@example.co.uk", "v@xn--mnchen-3ya.de", "a-b@x-y.example"]
)
def test_emails_salesforce_takes_are_accepted(post, email):
    response = post("contacts", {"contacts": [{**ADA, "email": email}]})

    assert response.status_code == 200
    assert Contact.objects.get().email == email


@pytest.mark.parametrize(
    "body",
    [
        {"contacts": [{**ADA, "\ud800": 1}]},
        {"contacts": [{**ADA, "a\x00": 1}]},
        {"contacts": [ADA], "\udfff": 1},
    ],
)
def test_field_names_no_database_can_store_are_a_400(post, body):
    response = post("contacts", body)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["reason"].startswith("a field name must")
    assert not Contact.objects.exists()


def test_an_email_merged_away_in_salesforce_updates_the_contact_that_follows_the_master(post):
    survivor = ContactFactory(email="ada@example.com", title="Engineer")
    ContactEmailAliasFactory(email="Ada.L@example.com", contact=survivor)

    response = post("contacts", {"contacts": [{"email": "ada.l@EXAMPLE.com", "title": "CTO"}]})

    assert response.json()["results"] == [
        {"index": 0, "email": "ada@example.com", "id": survivor.pk, "status": "updated"}
    ]
    survivor.refresh_from_db()
    assert (survivor.email, survivor.title) == ("ada@example.com", "CTO")
    assert Contact.objects.count() == 1


def test_a_contact_with_the_email_itself_comes_before_an_alias(post):
    survivor = ContactFactory(email="ada@example.com")
    ContactEmailAliasFactory(email="ada.l@example.com", contact=survivor)
    own = ContactFactory(email="ada.l@example.com")

    response = post("contacts", {"contacts": [{"email": "ada.l@example.com", "title": "CTO"}]})

    assert response.json()["results"][0]["id"] == own.pk


def test_an_email_and_its_alias_in_one_request_are_rejected(post):
    survivor = ContactFactory(email="ada@example.com", title="Engineer")
    ContactEmailAliasFactory(email="ada.l@example.com", contact=survivor)

    response = post("contacts", {"contacts": [
        {"email": "ada@example.com", "title": "CTO"},
        {"email": "ada.l@example.com", "title": "CEO"},
    ]})  # fmt: skip

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 1, "field": "email", "reason": "matches the same contact as item 0"}
    ]
    survivor.refresh_from_db()
    assert survivor.title == "Engineer"

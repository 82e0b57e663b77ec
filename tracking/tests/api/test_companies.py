"""POST /api/v1/companies: upsert by domain, else by name."""

import pytest

from tracking.models import Company, Contact
from tracking.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_new_company_gets_a_normalised_domain_from_its_website(post):
    response = post("companies", {"companies": [{"name": "Acme", "website": "www.Acme.com/about"}]})

    company = Company.objects.get()
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"index": 0, "name": "Acme", "domain": "acme.com", "id": company.pk, "status": "created"}
    ]
    assert company.website == "https://www.Acme.com/about"
    assert company.local_modified_at is not None


@pytest.mark.parametrize("domain", ["ACME.com", "https://www.acme.com/pricing", "acme.com."])
def test_domain_matches_in_any_form(post, domain):
    company = CompanyFactory(name="Acme Inc", domain="acme.com")

    response = post("companies", {"companies": [{"name": "Acme Incorporated", "domain": domain}]})

    assert response.json()["results"][0] == {
        "index": 0,
        "name": "Acme Incorporated",
        "domain": "acme.com",
        "id": company.pk,
        "status": "updated",
    }
    assert Company.objects.count() == 1


def test_without_domain_the_name_matches_in_any_case(post):
    company = CompanyFactory(name="Globex", domain="globex.com")

    response = post("companies", {"companies": [{"name": "GLOBEX"}]})

    assert response.json()["results"][0]["id"] == company.pk
    assert response.json()["results"][0]["status"] == "updated"
    company.refresh_from_db()
    assert (company.name, company.domain) == ("GLOBEX", "globex.com")


def test_identical_repost_is_unchanged(post):
    CompanyFactory(name="Initech", domain="initech.com", website="https://initech.com")

    response = post("companies", {"companies": [{"name": "Initech", "domain": "initech.com"}]})

    assert response.json()["results"][0]["status"] == "unchanged"


def test_same_name_with_another_domain_is_another_company(post):
    CompanyFactory(name="Mercury", domain="mercury.com")

    response = post("companies", {"companies": [{"name": "Mercury", "domain": "mercury.io"}]})

    assert response.json()["results"][0]["status"] == "created"
    assert Company.objects.count() == 2


def test_name_match_without_domain_takes_the_given_domain(post):
    company = CompanyFactory(name="Hooli", domain="")

    post("companies", {"companies": [{"name": "hooli", "domain": "hooli.xyz"}]})

    company.refresh_from_db()
    assert company.domain == "hooli.xyz"


def test_invalid_and_duplicate_items_are_reported_and_nothing_is_written(post):
    body = {
        "companies": [
            {"name": "Acme", "domain": "acme.com"},
            {"name": "", "domain": "not a domain"},
            {"name": "Acme again", "website": "https://www.ACME.com"},
            {"name": "Long", "website": "https://example.com/" + "x" * 250},
        ]
    }

    response = post("companies", body)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 1, "field": "name", "reason": "must not be blank"},
        {"index": 1, "field": "domain", "reason": "not a valid domain name"},
        {
            "index": 3,
            "field": "website",
            "reason": "too long for the field: at most 247 characters",
        },
    ]
    assert not Company.objects.exists()

    response = post("companies", {"companies": body["companies"][::2]})

    assert response.json()["errors"] == [
        {
            "index": 1,
            "field": "domain",
            "reason": "duplicate domain in this request (same as item 0)",
        }
    ]
    assert not Company.objects.exists()


def test_two_items_matching_one_company_are_rejected(post):
    CompanyFactory(name="Umbrella", domain="umbrella.com")

    response = post(
        "companies",
        {"companies": [{"name": "Other", "domain": "umbrella.com"}, {"name": "umbrella"}]},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 1, "field": "name", "reason": "matches the same company as item 0"}
    ]
    assert Company.objects.get().name == "Umbrella"


def test_name_matches_in_any_case_of_non_ascii_letters(post):
    company = CompanyFactory(name="ÖKO Energie", domain="")

    response = post("companies", {"companies": [{"name": "öko energie"}]})

    assert response.json()["results"][0]["id"] == company.pk
    assert Company.objects.count() == 1


def test_contact_links_the_company_whose_name_differs_in_non_ascii_case(post):
    company = CompanyFactory(name="SOCIÉTÉ GÉNÉRALE")

    post("contacts", {"contacts": [{"email": "a@example.com", "company": "Société Générale"}]})

    assert Contact.objects.get().company_record == company


@pytest.mark.parametrize("name", ["\u200b", "\ufeff \u200b", "\x1f", " \u2060 "])
def test_a_name_of_only_invisible_characters_is_blank(post, name):
    response = post("companies", {"companies": [{"name": name, "domain": "acme.com"}]})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 0, "field": "name", "reason": "must not be blank"}
    ]
    assert not Company.objects.exists()


@pytest.mark.parametrize(("value", "reason"), [("a\x00b", "NUL"), ("a\udfffb", "surrogate")])
def test_text_no_database_can_store_is_a_400(post, value, reason):
    response = post("companies", {"companies": [{"name": value, "domain": "acme.com"}]})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (0, "name")
    assert reason in error["reason"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", "http://192.0.2.1/"),
        ("website", "ftp://acme.com"),
        ("website", "https://acme.com/a b"),
        ("domain", "localhost"),
        ("domain", "münchen.de"),
        ("domain", " acme.com"),
    ],
)
def test_web_addresses_outside_the_documented_pattern_are_a_400(post, field, value):
    response = post("companies", {"companies": [{"name": "Acme", field: value}]})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field

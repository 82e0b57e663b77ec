"""Which Salesforce row a local record already has, from rows at hand (pure)."""

import pytest

from integrations.sync.rules.matching import (
    UnlinkedCompanies,
    company_domain,
    email_key,
    name_key,
    oldest_by,
    person_company,
    website_key,
    website_variants,
)
from tracking.models import Company


def account(row_id, created, **fields) -> dict:
    return {"Id": row_id, "CreatedDate": created, **fields}


def company(pk, name, domain="", website="") -> Company:
    """An unsaved company with a primary key: UnlinkedCompanies tells them apart by it."""
    return Company(pk=pk, name=name, domain=domain, website=website)


# -- oldest_by ----------------------------------------------------------------------------


def test_of_rows_with_the_same_key_the_oldest_wins_whatever_their_order():
    # given
    newer = account("003B", "2024-02-01T00:00:00.000+0000", Email="ada@example.com")
    older = account("003C", "2023-01-01T00:00:00.000+0000", Email="ADA@example.com")

    # when / then
    assert oldest_by([newer, older], email_key) == {"ada@example.com": older}
    assert oldest_by([older, newer], email_key) == {"ada@example.com": older}


def test_rows_created_at_the_same_moment_go_by_id():
    moment = "2024-01-01T00:00:00.000+0000"
    second = account("003B", moment, Email="ada@example.com")
    first = account("003A", moment, Email="ada@example.com")

    assert oldest_by([second, first], email_key)["ada@example.com"] is first


def test_rows_with_different_keys_are_all_kept():
    ada = account("003A", "2024-01-01", Email="ada@example.com")
    grace = account("003B", "2023-01-01", Email="grace@example.com")

    assert oldest_by([ada, grace], email_key) == {
        "ada@example.com": ada,
        "grace@example.com": grace,
    }


def test_no_rows_no_matches():
    assert oldest_by([], email_key) == {}


# -- keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [({"Email": "Ada@Example.COM"}, "ada@example.com"), ({"Email": None}, ""), ({}, "")],
)
def test_email_key_is_the_lower_cased_address(row, expected):
    assert email_key(row) == expected


@pytest.mark.parametrize(
    ("row", "expected"), [({"Name": "  Acme Inc "}, "acme inc"), ({"Name": None}, ""), ({}, "")]
)
def test_name_key_ignores_case_and_surrounding_space(row, expected):
    assert name_key(row) == expected


@pytest.mark.parametrize(
    ("website", "expected"),
    [
        ("https://www.Acme.com/about", "acme.com"),
        ("acme.com", "acme.com"),
        ("http://acme.com/", "acme.com"),
        (None, ""),
    ],
)
def test_website_key_is_the_bare_domain(website, expected):
    assert website_key({"Website": website}) == expected


@pytest.mark.parametrize(
    ("domain", "website", "expected"),
    [
        ("acme.com", "https://www.other.com", "acme.com"),
        ("", "https://www.Acme.com/about", "acme.com"),
        ("WWW.Acme.com", "", "acme.com"),
        ("", "", ""),
    ],
)
def test_company_domain_prefers_the_domain_then_the_websites_host(domain, website, expected):
    assert company_domain(company(1, "Acme", domain=domain, website=website)) == expected


# -- website_variants ---------------------------------------------------------------------


def test_website_variants_cover_bare_www_schemes_and_trailing_slash():
    assert sorted(website_variants("acme.com")) == sorted(
        [
            "acme.com",
            "www.acme.com",
            "http://acme.com",
            "http://acme.com/",
            "http://www.acme.com",
            "http://www.acme.com/",
            "https://acme.com",
            "https://acme.com/",
            "https://www.acme.com",
            "https://www.acme.com/",
        ]
    )


def test_every_website_variant_has_the_domain_as_its_key():
    for variant in website_variants("acme.com"):
        assert website_key({"Website": variant}) == "acme.com"


# -- UnlinkedCompanies --------------------------------------------------------------------


def test_company_is_found_by_the_accounts_name_ignoring_case():
    acme = company(1, "Acme Inc")

    found = UnlinkedCompanies([acme]).take({"Name": "  ACME inc", "Website": None})

    assert found is acme


def test_company_is_found_by_the_accounts_website_domain():
    acme = company(1, "Acme", domain="acme.com")

    found = UnlinkedCompanies([acme]).take({"Name": "Acme Corporation", "Website": "www.acme.com"})

    assert found is acme


def test_company_without_domain_is_found_by_its_websites_host():
    acme = company(1, "Acme", website="https://www.acme.com/")

    assert UnlinkedCompanies([acme]).take({"Name": "Other", "Website": "acme.com"}) is acme


def test_each_company_is_handed_out_once():
    # given: two Accounts that both fit one company
    acme = company(1, "Acme", domain="acme.com")
    companies = UnlinkedCompanies([acme])

    # when
    first = companies.take({"Name": "Acme", "Website": ""})
    second = companies.take({"Name": "Acme", "Website": "acme.com"})

    # then
    assert (first, second) == (acme, None)


def test_name_match_wins_over_domain_match():
    by_name = company(1, "Acme")
    by_domain = company(2, "Acme Holdings", domain="acme.com")

    found = UnlinkedCompanies([by_name, by_domain]).take({"Name": "Acme", "Website": "acme.com"})

    assert found is by_name


def test_when_the_name_match_is_taken_the_domain_match_is_next():
    # given
    by_name = company(1, "Acme")
    by_domain = company(2, "Acme Holdings", domain="acme.com")
    companies = UnlinkedCompanies([by_name, by_domain])
    companies.take({"Name": "Acme"})

    # when
    found = companies.take({"Name": "Acme", "Website": "https://acme.com"})

    # then
    assert found is by_domain


def test_account_without_website_does_not_match_companies_without_domain():
    nameless_domain = company(1, "Acme")

    assert UnlinkedCompanies([nameless_domain]).take({"Name": "Other", "Website": ""}) is None


def test_account_that_fits_no_company_finds_none():
    companies = UnlinkedCompanies([company(1, "Acme", domain="acme.com")])

    assert companies.take({"Name": "Globex", "Website": "globex.com"}) is None


def test_person_company_contact_by_account_lead_by_name_then_domain():
    acme, initech = object(), object()
    found = {
        "by_account": {"001A": acme},
        "by_name": {"acme": acme},
        "by_domain": {"initech.example": initech},
    }
    assert person_company({"AccountId": "001A"}, sobject="Contact", **found) is acme
    assert (
        person_company({"AccountId": None, "Company": "Acme"}, sobject="Contact", **found) is None
    )
    assert person_company({"Company": " ACME "}, sobject="Lead", **found) is acme
    lead = {"Company": "Initech LLC", "Website": "http://www.initech.example/"}
    assert person_company(lead, sobject="Lead", **found) is initech
    assert person_company({"Company": "Hooli"}, sobject="Lead", **found) is None

"""GET /api/v1/companies: by domain or name, with the Account link and sync state."""

import pytest

from tracking.tests.factories import CompanyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sync_leaves_nothing_out")]


def test_domain_finds_the_company_from_a_url_in_any_case(get, instance_url):
    company = CompanyFactory(
        name="Acme", domain="acme.com", website="https://acme.com",
        salesforce_id="001000000000001AAA", local_modified_at=None,
    )  # fmt: skip
    company.salesforce_synced_at = company.created_at
    company.save()
    CompanyFactory(name="Other", domain="other.com")

    response = get("companies", {"domain": "https://www.ACME.com/about"})

    assert response.status_code == 200
    [found] = response.json()["results"]
    assert (found["id"], found["name"], found["domain"]) == (company.pk, "Acme", "acme.com")
    assert found["website"] == "https://acme.com"
    assert found["salesforce"]["object"] == "Account"
    assert found["salesforce"]["url"] == f"{instance_url}/001000000000001AAA"
    assert found["salesforce"]["state"] == "synced"


def test_name_finds_every_company_of_that_name_in_any_case(get):
    first = CompanyFactory(name="Acme")
    second = CompanyFactory(name="ACME")
    CompanyFactory(name="Acme Labs")

    results = get("companies", {"name": "acme"}).json()["results"]

    assert [company["id"] for company in results] == [first.pk, second.pk]
    assert results[0]["salesforce"]["state"] == "pending"


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"domain": " "}, "domain", "must not be blank"),
        ({"domain": "https://"}, "domain", "not a valid domain name"),
        ({"name": "x" * 256}, "name", "at most 255 characters"),
        ({"website": "acme.com"}, "website", "unknown parameter"),
        ({"cursor": "eA"}, "cursor", "not a cursor of this API"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(get, params, field, reason):
    response = get("companies", params)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert reason in error["reason"]


def test_openapi_document_describes_the_reads(client):
    document = client.get("/api/v1/openapi.json").json()

    for path in ("/api/v1/contacts", "/api/v1/companies"):
        operation = document["paths"][path]["get"]
        assert {"cursor", "limit", "updated_since"} <= {p["name"] for p in operation["parameters"]}
        assert set(operation["responses"]) == {"200", "400", "401"}
        assert operation["security"] == [{"ApiKeyAuth": []}]
    schemas = document["components"]["schemas"]
    assert set(schemas["SalesforceOut"]["properties"]) == {
        "id", "object", "url", "synced_at", "state", "explanation", "not_sent", "error",
    }  # fmt: skip
    assert "linked_company" in schemas["ContactOut"]["properties"]

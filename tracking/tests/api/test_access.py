"""Authentication, the body limit and the OpenAPI document of the ingestion API."""

import pytest

from tracking.api.limits import API_MAX_BODY_BYTES
from tracking.models import Contact
from tracking.services import api_key_create
from tracking.tests.factories import ApiKeyFactory

pytestmark = pytest.mark.django_db

BODY = {"contacts": [{"email": "ada@example.com"}]}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer crmb_wrong"},
        {"Authorization": "crmb_a-known-test-key"},
        {"Authorization": "Basic Y3JtYjp4"},
    ],
    ids=["missing", "wrong", "no-scheme", "basic"],
)
def test_missing_or_wrong_key_is_401(post, headers):
    response = post("contacts", BODY, headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "API key" in response.json()["detail"]
    assert not Contact.objects.exists()


def test_revoked_key_is_401(post):
    ApiKeyFactory(key="crmb_revoked-key", revoked=True)

    response = post("contacts", BODY, headers={"Authorization": "Bearer crmb_revoked-key"})

    assert response.status_code == 401


def test_created_key_authenticates_and_records_its_use(post):
    issued = api_key_create(name="Host product")
    assert issued.key.startswith("crmb_")
    assert issued.api_key.prefix == issued.key[:8]
    assert issued.key not in issued.api_key.key_hash

    response = post("contacts", BODY, headers={"Authorization": f"Bearer {issued.key}"})

    assert response.status_code == 200
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at is not None


def test_body_over_the_limit_is_413_before_authenticating_or_reading(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES

    response = client.post(
        "/api/v1/contacts",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(API_MAX_BODY_BYTES + 1),
    )

    assert response.status_code == 413
    assert "10,485,760 bytes" in response.json()["detail"]


def test_body_over_djangos_limit_is_413_too(post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"contacts": [{"email": f"person{n}@example.com"} for n in range(100)]}

    response = post("contacts", body)

    assert response.status_code == 413
    assert "1,000 bytes" in response.json()["detail"]
    assert not Contact.objects.exists()


def test_openapi_document_describes_both_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    document = response.json()
    assert response.status_code == 200
    assert {"/api/v1/contacts", "/api/v1/companies"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["ApiKeyAuth"]["scheme"] == "bearer"
    contact = document["components"]["schemas"]["ContactIn"]["properties"]
    assert contact["first_name"]["anyOf"] == [
        {"maxLength": 40, "pattern": "^[^\\u0000]*$", "type": "string"},
        {"type": "null"},
    ]
    assert "customer" in contact["lifecycle_stage"]["enum"]
    assert None in contact["lifecycle_stage"]["enum"]  # null clears it, as for any text
    assert contact["email"]["format"] == "email"
    assert contact["email"]["maxLength"] == 80


def test_interactive_docs_are_served(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.content.decode()


def test_openapi_document_describes_the_tracking_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()

    assert {"/api/v1/links", "/api/v1/visits", "/api/v1/activities"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert schemas["LinkIn"]["properties"]["kind"]["enum"] == ["document", "room"]
    assert schemas["ActivityIn"]["properties"]["kind"]["enum"] == [
        "inmail",
        "message",
        "note",
        "call",
    ]
    percent = schemas["VisitIn"]["properties"]["percent_viewed"]
    assert (percent["minimum"], percent["maximum"]) == (0, 100)
    assert schemas["VisitIn"]["properties"]["started_at"]["format"] == "date-time"
    assert set(schemas["VisitIn"]["required"]) == {"external_id", "link_id", "started_at"}
    responses = document["paths"]["/api/v1/visits"]["post"]["responses"]
    assert {"200", "400", "401", "413"} <= set(responses)

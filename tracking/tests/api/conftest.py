"""An authenticated ingestion API client (POST and GET), and tracking on its own."""

import json

import pytest

from tracking import hooks
from tracking.tests.factories import ApiKeyFactory

KEY = "crmb_a-known-test-key"
INSTANCE_URL = "https://acme.my.salesforce.com"


@pytest.fixture
def api_key(db):
    return ApiKeyFactory(key=KEY)


@pytest.fixture
def auth_headers(api_key):
    return {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def post(client, auth_headers):
    """POST a JSON body to /api/v1/<path> with the test key, or with `headers=` instead."""

    def post(path, body, *, headers=auth_headers):
        return client.post(
            f"/api/v1/{path}",
            data=json.dumps(body),
            content_type="application/json",
            headers=headers,
        )

    return post


@pytest.fixture
def get(client, auth_headers):
    """GET /api/v1/<path> with query parameters and the test key, or with `headers=` instead."""

    def get(path, params=None, *, headers=auth_headers):
        return client.get(f"/api/v1/{path}", params or {}, headers=headers)

    return get


@pytest.fixture
def sync_leaves_nothing_out(monkeypatch):
    """Tracking on its own: no sync judges which records it leaves out, nor tells its facts."""
    monkeypatch.setattr(hooks, "_not_sent_provider", None)
    monkeypatch.setattr(hooks, "_sync_facts_provider", None)


@pytest.fixture
def instance_url(monkeypatch):
    """The Salesforce side has told tracking where the org lives."""
    monkeypatch.setattr(hooks, "_instance_url_provider", lambda: INSTANCE_URL)
    return INSTANCE_URL

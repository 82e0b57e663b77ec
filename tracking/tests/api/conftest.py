"""An authenticated ingestion API client."""

import json

import pytest

from tracking.tests.factories import ApiKeyFactory

KEY = "crmb_a-known-test-key"


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

"""Fixtures for the sync engine: sync switched on, default mappings, local contacts."""

import pytest
from django.utils import timezone

from integrations.models import FieldMapping, SyncSettings
from integrations.sync.mapping_validation import default_mappings
from tracking.models import Contact
from tracking.tests.factories import ApiKeyFactory

READ_KEY = "crmb_sync-tests-read-key"


@pytest.fixture
def sync_settings(connection):
    """The emulated org connected, sync on, the default field mappings in place."""
    for mapping in default_mappings():
        FieldMapping.objects.get_or_create(
            salesforce_object=mapping["salesforce_object"],
            salesforce_field=mapping["salesforce_field"],
            defaults={"local_field": mapping["local_field"], "rule": mapping["rule"]},
        )
    settings = SyncSettings.load()
    settings.sync_enabled = True
    settings.save()
    return settings


@pytest.fixture
def make_contact(db):
    def make(email, **fields):
        fields.setdefault("last_name", email.split("@")[0].title())
        return Contact.objects.create(email=email, local_modified_at=timezone.now(), **fields)

    return make


@pytest.fixture
def read(client):
    """GET the read API with a valid key; the JSON of a 200."""
    ApiKeyFactory(key=READ_KEY)

    def read(path, **params):
        headers = {"Authorization": f"Bearer {READ_KEY}"}
        response = client.get(f"/api/v1/{path}", params, headers=headers)
        assert response.status_code == 200
        return response.json()

    return read

"""Secrets are encrypted at rest and never rendered back."""

import pytest
from django.db import connection as db

from integrations.models import SalesforceConnection

pytestmark = pytest.mark.django_db

SECRET_COLUMNS = ["client_secret", "password", "security_token", "access_token", "refresh_token"]


def test_secrets_cannot_be_read_in_clear_text_from_the_database():
    # given
    row = SalesforceConnection.load()
    values = {name: f"clear-{name}-value" for name in SECRET_COLUMNS}
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    # when
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(SECRET_COLUMNS)} FROM integrations_salesforceconnection"  # noqa: S608
        )
        stored = cursor.fetchone()
    # then
    for name, raw in zip(SECRET_COLUMNS, stored, strict=True):
        assert values[name] not in raw
        assert raw.startswith("gAAAAA")  # a Fernet token
    reloaded = SalesforceConnection.load()
    assert reloaded.password == values["password"]

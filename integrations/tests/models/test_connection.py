"""The connection row owns its status: connected, failed, disconnected, paused, synced."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from integrations.choices import ConnectionStatus
from integrations.models import SalesforceConnection
from integrations.tests.factories import SalesforceConnectionFactory

pytestmark = pytest.mark.django_db


def paused(connection: SalesforceConnection) -> SalesforceConnection:
    connection.pause(
        until=timezone.now() + timedelta(hours=1),
        code="REQUEST_LIMIT_EXCEEDED",
        message="The org used 15000 of its 15000 daily API requests.",
        hint="Wait for the limit.",
    )
    return connection


def test_mark_connected_clears_error_and_pause_and_saves_what_was_learnt():
    # given
    connection = paused(SalesforceConnectionFactory())
    connection.org_id = "00D000000000002AAA"
    # when
    with time_machine.travel("2025-03-01 12:00:00+00:00", tick=False):
        connection.mark_connected()
    # then
    stored = SalesforceConnection.load()
    assert stored.status == ConnectionStatus.CONNECTED
    assert (stored.paused_until, stored.last_error, stored.last_error_hint) == (None, "", "")
    assert stored.last_checked_at.isoformat() == "2025-03-01T12:00:00+00:00"
    assert stored.org_id == "00D000000000002AAA"


def test_mark_failed_keeps_salesforces_words_and_the_hint():
    connection = SalesforceConnectionFactory()

    connection.mark_failed(message="authentication failure", code="invalid_grant", hint="Check.")

    stored = SalesforceConnection.load()
    assert stored.status == ConnectionStatus.ERROR
    assert (stored.last_error, stored.last_error_code, stored.last_error_hint) == (
        "authentication failure", "invalid_grant", "Check.",
    )  # fmt: skip
    assert stored.last_checked_at is not None


def test_mark_disconnected_forgets_tokens_but_keeps_credentials():
    connection = paused(SalesforceConnectionFactory(refresh_token="refresh"))

    connection.mark_disconnected()

    stored = SalesforceConnection.load()
    assert stored.status == ConnectionStatus.NOT_CONNECTED
    assert (stored.access_token, stored.refresh_token, stored.paused_until) == ("", "", None)
    assert stored.client_secret == "client-secret"
    assert not stored.is_connected


def test_pause_writes_only_its_own_columns():
    # given: one worker holds the row while another changes the cap
    holder = SalesforceConnectionFactory()
    other = SalesforceConnection.load()
    other.api_cap_calls = 5000
    other.save()
    # when
    paused(holder)
    # then
    stored = SalesforceConnection.load()
    assert stored.is_paused
    assert stored.status == ConnectionStatus.PAUSED
    assert stored.last_error_code == "REQUEST_LIMIT_EXCEEDED"
    assert stored.api_cap_calls == 5000
    assert holder.is_paused


def test_resume_reconnects_without_an_error():
    connection = paused(SalesforceConnectionFactory())

    connection.resume()

    stored = SalesforceConnection.load()
    assert (stored.status, stored.paused_until, stored.last_error) == (
        ConnectionStatus.CONNECTED, None, "",
    )  # fmt: skip
    assert not connection.is_paused


def test_mark_synced_needs_no_instance():
    SalesforceConnectionFactory()

    with time_machine.travel("2025-03-01 12:00:00+00:00", tick=False):
        SalesforceConnection.mark_synced()

    assert SalesforceConnection.load().last_synced_at.isoformat() == "2025-03-01T12:00:00+00:00"

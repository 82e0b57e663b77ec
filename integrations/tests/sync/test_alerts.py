"""Where the alerts are evaluated, against the emulated org: at the end of every sync run and
in the periodic sweep (after a failed trigger delivery: tests/webhooks); and a refused login
that stops the sync."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.core import mail

from integrations.choices import AuthMethod, ConnectionStatus, RunStatus
from integrations.models import Alert, SalesforceConnection, SyncSettings
from integrations.services.connection_oauth import (
    connection_oauth_finish,
    connection_oauth_start,
)
from integrations.services.sync import salesforce_sync_blocker
from integrations.tasks import salesforce_sweep_task
from integrations.tests.factories import SyncRunFactory
from integrations.tests.sync.helpers import run_cycle

pytestmark = pytest.mark.django_db

CALLBACK = "https://crm.example.com/admin/oauth/callback/"


def thresholds(**values) -> None:
    settings = SyncSettings.load()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()


def open_keys() -> list[str]:
    return sorted(Alert.objects.open().values_list("key", flat=True))


def test_a_failed_run_raises_the_alert_and_a_good_one_clears_it(
    sync_settings, emulator, make_contact, admin_user
):
    # given
    thresholds(alert_failed_cycles=1)
    make_contact("down@example.com")
    emulator.faults.inject("503", times=100)
    # when
    assert run_cycle().status == RunStatus.FAILED
    # then
    assert open_keys() == ["cycles_failing"]
    assert len(mail.outbox) == 1
    assert "SERVER_UNAVAILABLE" in mail.outbox[0].body
    # when Salesforce answers again
    emulator.faults.clear()
    assert run_cycle().status == RunStatus.SUCCEEDED
    # then
    assert open_keys() == []
    assert len(mail.outbox) == 1


def test_new_record_errors_of_one_code_raise_one_alert_until_they_repeat(
    sync_settings, emulator, make_contact, admin_user
):
    thresholds(alert_error_spike=1)
    make_contact("bad@[192.0.2.1]")  # stored before the API refused such addresses
    make_contact("worse@[192.0.2.2]")
    make_contact("fine@example.com")

    assert run_cycle().status == RunStatus.PARTIAL

    alert = Alert.objects.open().get()
    assert alert.key == "errors_spike:INVALID_EMAIL_ADDRESS"
    assert "2 new record errors" in alert.message
    assert len(mail.outbox) == 1
    # when the next run tries them again and Salesforce refuses them the same way
    assert run_cycle().status == RunStatus.PARTIAL
    # then they are no new errors: the spike is over
    assert open_keys() == []
    assert len(mail.outbox) == 1


def test_a_revoked_refresh_token_stops_the_sync_and_raises_the_login_alert(emulator, admin_user):
    # given an org connected with OAuth, whose refresh token an admin revoked in Salesforce
    connection = _connect_with_oauth(emulator)
    thresholds(sync_enabled=True)
    revoked = requests.post(f"{emulator.url}/services/oauth2/revoke",
                            data={"token": connection.refresh_token}, timeout=10)  # fmt: skip
    assert revoked.status_code == 200
    # when
    run = run_cycle()
    # then
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("invalid_grant")
    connection.refresh_from_db()
    assert (connection.status, connection.last_error_code) == (ConnectionStatus.ERROR,
                                                               "invalid_grant")  # fmt: skip
    assert salesforce_sync_blocker()[0] == "Salesforce is not connected."
    assert open_keys() == ["auth"]
    email = mail.outbox[0]
    assert "refused" in email.subject
    assert connection.refresh_token not in email.body
    assert connection.client_secret not in email.body
    # when the admin reconnects, the sweep clears the alert
    _connect_with_oauth(emulator)
    salesforce_sweep_task()
    assert open_keys() == []


def test_a_login_service_that_answers_oddly_fails_the_run_not_the_connection(emulator, admin_user):
    # given an OAuth connection whose session expired, and a login service that answers 404
    connection = _connect_with_oauth(emulator)
    thresholds(sync_enabled=True, alert_failed_cycles=2)
    emulator.faults.inject("session_expired")
    emulator.faults.inject("missing", path_contains="/services/oauth2/token")
    # when
    run = run_cycle()
    # then the run failed, the connection stays connected and no login alert is raised
    assert run.status == RunStatus.FAILED
    assert "404" in run.error
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.CONNECTED
    assert salesforce_sync_blocker() is None
    assert open_keys() == []
    # when the login service answers again, the next run renews the session and syncs
    assert run_cycle().status == RunStatus.SUCCEEDED


def test_the_sweep_raises_and_clears_alerts(db, admin_user):
    thresholds(alert_failed_cycles=2)
    SyncRunFactory.create_batch(2, status=RunStatus.FAILED, error="boom")

    salesforce_sweep_task()
    assert open_keys() == ["cycles_failing"]

    SyncRunFactory(status=RunStatus.SUCCEEDED)
    salesforce_sweep_task()
    assert open_keys() == []
    assert len(mail.outbox) == 1


def _connect_with_oauth(emulator) -> SalesforceConnection:
    """The "Connect Salesforce" flow, approved in the emulated org: a refresh token."""
    connection = SalesforceConnection.load()
    connection.login_url = emulator.url
    connection.auth_method = AuthMethod.OAUTH
    connection.client_id = emulator.credentials.client_id
    connection.client_secret = emulator.credentials.client_secret
    connection.save()
    session = {}
    url = connection_oauth_start(request_session=session, redirect_uri=CALLBACK)
    approved = requests.get(url, allow_redirects=False, timeout=10)
    answer = {k: v[0] for k, v in parse_qs(urlparse(approved.headers["Location"]).query).items()}
    return connection_oauth_finish(
        request_session=session, state=answer["state"], code=answer["code"], redirect_uri=CALLBACK
    )

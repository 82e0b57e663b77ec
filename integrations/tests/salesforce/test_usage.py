"""What counts as an API call: requests that reached Salesforce, never those that did not.

A refused connection, a failed TLS handshake or a connect timeout never reached Salesforce,
so they are not API calls: they must not show on the usage chart, in a run's call count or
against this app's cap. An answer with an HTTP error did reach it and counts.
"""

import socket

import certifi
import pytest

from integrations.exceptions import PermanentError, TransientError
from integrations.models import ApiUsageHour, SalesforceConnection
from integrations.services.connection import salesforce_client

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _client_at(url: str):
    connection = SalesforceConnection.load()
    connection.update_columns(instance_url=url)
    return salesforce_client()


def _usage() -> tuple[int, int]:
    hours = ApiUsageHour.objects.all()
    return sum(hour.calls for hour in hours), sum(hour.errors for hour in hours)


def test_refused_connections_are_not_api_calls(connection, settings):
    # given: nothing listens where the client calls
    settings.SALESFORCE_MAX_ATTEMPTS = 3
    client = _client_at(f"https://127.0.0.1:{_closed_port()}")
    before = _usage()
    # when
    with pytest.raises(TransientError) as raised:
        client.limits()
    # then
    assert raised.value.code == "CONNECTION_FAILED"
    assert client.calls == 0
    assert _usage() == before


def test_failed_tls_handshakes_are_not_api_calls(connection, emulator, monkeypatch):
    # given: the emulator's certificate is not trusted (only the public CAs are)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    client = salesforce_client()
    before, received = _usage(), emulator.api_calls
    # when
    with pytest.raises(PermanentError) as raised:
        client.limits()
    # then
    assert raised.value.code == "SSL_ERROR"
    assert client.calls == 0
    assert _usage() == before
    assert emulator.api_calls == received


def test_connect_timeouts_are_not_api_calls(connection, settings):
    # given: a server whose accept queue is full, so a new connection never completes
    settings.SALESFORCE_MAX_ATTEMPTS = 2
    settings.SALESFORCE_HTTP_TIMEOUT = (0.3, 5)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        waiting = socket.create_connection(("127.0.0.1", port), timeout=1)  # fills the queue
        client = _client_at(f"https://127.0.0.1:{port}")
        before = _usage()
        # when
        with pytest.raises(TransientError) as raised:
            client.limits()
        waiting.close()
    # then
    assert raised.value.code == "TIMEOUT"
    assert not raised.value.outcome_unknown
    assert client.calls == 0
    assert _usage() == before


def test_failed_connections_do_not_eat_into_the_app_cap(connection, emulator, settings):
    # given: a cap with room for two calls, and an outage that refuses connections
    settings.SALESFORCE_MAX_ATTEMPTS = 5
    connection.api_cap_calls = ApiUsageHour.calls_in_last_24h() + 2
    connection.save()
    url = connection.instance_url
    with pytest.raises(TransientError):
        _client_at(f"https://127.0.0.1:{_closed_port()}").limits()
    # when: Salesforce is reachable again
    client = _client_at(url)
    before = emulator.api_calls
    client.limits()
    client.limits()
    # then: both calls were allowed, and they are the two counted
    assert client.calls == 2
    assert emulator.api_calls - before == 2


def test_http_errors_reached_salesforce_and_count(emulator, sf_client):
    # given
    emulator.faults.inject("503", times=2)
    calls, errors = _usage()
    # when
    sf_client.limits()
    with pytest.raises(PermanentError):
        list(sf_client.query("SELECT Id, Nonsense FROM Contact"))
    # then: two 503s, one success and one refused query: four calls, three of them errors
    assert sf_client.calls == 4
    assert _usage() == (calls + 4, errors + 3)

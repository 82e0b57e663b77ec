"""Suite-wide fixtures: the local Salesforce sandbox over real HTTPS, and a connected org.

Each test process (xdist worker) starts one sandbox in a background thread; tests reset
its data and faults. Nothing here patches simple-salesforce or requests: every Salesforce
call goes over TLS to the sandbox, trusted through REQUESTS_CA_BUNDLE like any private
endpoint.
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from integrations.emulator import Sandbox


def _service_url(variable: str) -> str:
    """The service's URL; skipped on a laptop without it, but a failure with CI=true."""
    url = os.environ.get(variable, "")
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{variable} must be set when CI=true: this test must run, not skip.")
    pytest.skip(f"needs {variable}")


@pytest.fixture
def redis_url() -> str:
    return _service_url("REDIS_URL")


@pytest.fixture
def postgres_url() -> str:
    return _service_url("DATABASE_URL")


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory):
    server = Sandbox().start(cert_dir=str(tmp_path_factory.mktemp("sandbox-cert")))
    previous = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = server.ca_file
    yield server
    server.stop()
    if previous is None:
        os.environ.pop("REQUESTS_CA_BUNDLE", None)
    else:
        os.environ["REQUESTS_CA_BUNDLE"] = previous


@pytest.fixture
def sandbox(sandbox_server):
    """A clean sandbox org for one test: no records, no faults, no latency, fresh counters."""
    sandbox_server.set_state_country_picklists(False)  # also wipes the records
    cache.clear()  # describe() results of the previous test
    sandbox_server.faults.clear()
    sandbox_server.latency = 0.0
    sandbox_server.reset_stats()
    yield sandbox_server
    sandbox_server.faults.clear()


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    """Keep back-off waits and bulk polling short; the behaviour is the same."""
    settings.SALESFORCE_RETRY_BACKOFF = 0.01
    settings.SALESFORCE_RETRY_BACKOFF_MAX = 0.05
    settings.SALESFORCE_BULK_POLL_INITIAL = 0.01
    settings.SALESFORCE_BULK_POLL_MAX = 0.05


@pytest.fixture
def connection(db, sandbox):
    """The sandbox org connected with the password flow, as an admin would."""
    from integrations.emulator.connect import emulator_connect

    return emulator_connect(url=sandbox.url, credentials=sandbox.credentials)


@pytest.fixture
def sf_client(connection):
    """The product's Salesforce client for the connected sandbox org."""
    from integrations.services.connection import salesforce_client

    return salesforce_client()

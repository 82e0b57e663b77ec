"""Suite-wide fixtures: the local Salesforce emulator over real HTTPS, and a connected org.

Each test process (xdist worker) starts one emulator in a background thread; tests reset
its data and faults. Nothing here patches simple-salesforce or requests: every Salesforce
call goes over TLS to the emulator, trusted through REQUESTS_CA_BUNDLE like any private
endpoint.
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from integrations.emulator import Emulator

# Property-based tests keep no example database in the work tree; under CI they draw the same
# examples every run, so a failure there is reproducible rather than a one-off.
hypothesis_settings.register_profile(
    "crmbridge", database=None, derandomize=os.environ.get("CI", "").lower() == "true"
)
hypothesis_settings.load_profile("crmbridge")


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
def emulator_server(tmp_path_factory):
    server = Emulator().start(cert_dir=str(tmp_path_factory.mktemp("emulator-cert")))
    previous = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = server.ca_file
    yield server
    server.stop()
    if previous is None:
        os.environ.pop("REQUESTS_CA_BUNDLE", None)
    else:
        os.environ["REQUESTS_CA_BUNDLE"] = previous


@pytest.fixture
def emulator(emulator_server):
    """A clean emulated org for one test: no records, no faults, no latency, fresh counters."""
    emulator_server.set_state_country_picklists(False)  # also wipes the records
    cache.clear()  # describe() results of the previous test
    emulator_server.faults.clear()
    emulator_server.latency = 0.0
    emulator_server.reset_stats()
    yield emulator_server
    emulator_server.faults.clear()


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    """Keep back-off waits and bulk polling short; the behaviour is the same."""
    settings.SALESFORCE_RETRY_BACKOFF = 0.01
    settings.SALESFORCE_RETRY_BACKOFF_MAX = 0.05
    settings.SALESFORCE_BULK_POLL_INITIAL = 0.01
    settings.SALESFORCE_BULK_POLL_MAX = 0.05


@pytest.fixture
def connection(db, emulator):
    """The emulated org connected with the password flow, as an admin would."""
    from integrations.emulator.connect import emulator_connect

    return emulator_connect(url=emulator.url, credentials=emulator.credentials)


@pytest.fixture
def sf_client(connection):
    """The product's Salesforce client for the connected emulated org."""
    from integrations.services.connection import salesforce_client

    return salesforce_client()

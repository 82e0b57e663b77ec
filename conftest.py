"""Suite-wide fixtures: the local Salesforce emulator over real HTTPS, a connected org, and a
real browser for the console's pages.

Each test process (xdist worker) starts one emulator in a background thread; tests reset
its data and faults. Nothing here patches simple-salesforce or requests: every Salesforce
call goes over TLS to the emulator, trusted through REQUESTS_CA_BUNDLE like any private
endpoint.

Browser tests (marked `browser`) drive the system's chromium through Playwright against
Django's live server, one browser per test process. Playwright's sync API keeps an asyncio
loop running in the test thread while the browser is open, so browser tests run after all
the others of their process, and the ORM is told that this loop is not async code.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from hypothesis import settings as hypothesis_settings

from integrations.emulator import Emulator

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `make test` installs it
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
# The narrowest laptop screen the console is designed for.
VIEWPORT = {"width": 1366, "height": 768}


def _ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


# Property-based tests keep no example database in the work tree; under CI they draw the same
# examples every run, so a failure there is reproducible rather than a one-off.
hypothesis_settings.register_profile("crmbridge", database=None, derandomize=_ci())
hypothesis_settings.load_profile("crmbridge")


def pytest_collection_modifyitems(items):
    """Browser tests last, so no other test of a process runs beside Playwright's loop."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _service_url(variable: str) -> str:
    """The service's URL; skipped on a laptop without it, but a failure with CI=true."""
    url = os.environ.get(variable, "")
    if url:
        return url
    if _ci():
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


@pytest.fixture(scope="session")
def emulator_without_task_external_id_server(emulator_server):
    """A second emulated org, one whose Task has no CRMBridge_Id__c external-id field; it
    shares the first one's certificates, so the same REQUESTS_CA_BUNDLE trusts both."""
    cert_dir = os.path.dirname(emulator_server.ca_file)
    server = Emulator(task_external_id=False).start(cert_dir=cert_dir)
    yield server
    server.stop()


@pytest.fixture
def emulator_without_task_external_id(emulator_without_task_external_id_server):
    """A clean emulated org without the Task external-id field (an org that skipped that
    set-up step), reset like `emulator`. It is a separate emulator: connect to it with
    `emulator_connect(url=org.url, credentials=org.credentials)`, not the `connection`
    fixture. Both orgs have the same org id, so the describe() cache is cleared here."""
    server = emulator_without_task_external_id_server
    server.set_state_country_picklists(False)  # also wipes the records
    cache.clear()
    server.faults.clear()
    server.latency = 0.0
    server.reset_stats()
    yield server
    server.faults.clear()


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


@pytest.fixture(scope="session")
def browser():
    """One headless chromium per test process."""
    if not os.path.exists(CHROMIUM):
        message = f"browser tests need {CHROMIUM} (apt-get install chromium; `make test` does)"
        if _ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # see the module's docstring
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def staff_user(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser("console", "console@example.com", "pw")


@pytest.fixture
def browser_page(request, browser, live_server, staff_user):
    """A page at 1,366 × 768 signed in to the console as staff; `page.goto("/admin/")` works.

    With BROWSER_SCREENSHOTS=<folder>, the page as the test left it is saved there (full
    page, named after the test), to look at what the tests saw.
    """
    client = Client()
    client.force_login(staff_user)
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{request.node.name}.png"), full_page=True)
    context.close()

"""Signing in and the home page in a real browser: a sales user signs in (email and password,
or "Sign in with Salesforce" through the emulated org's login), lands on their home page and
sees their own records only."""

import os

import pytest

from integrations.emulator.records.org import SALES_REP_IDS
from integrations.models import Seat, SeatRole
from tracking.tests.factories import CompanyFactory, ContactFactory, LinkFactory

pytestmark = pytest.mark.browser

SAM = SALES_REP_IDS[0]
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture
def sam(transactional_db, django_user_model):
    user = django_user_model.objects.create_user("sam", "sam@acme.example", "pw-12345678")
    Seat.objects.create(user=user, role=SeatRole.MEMBER, salesforce_user_id=SAM,
                        salesforce_active=True)  # fmt: skip
    return user


@pytest.fixture
def records(sam, django_user_model):
    """Sam's contact, his Salesforce user's company, and records of others."""
    other = django_user_model.objects.create_user("rita", "rita@acme.example", "pw-12345678")
    LinkFactory(owner=sam, unresolved_since="2026-05-02T08:00:00Z")
    return {
        "mine": [
            ContactFactory(owner=sam, email="ada@customer.example", first_name="Ada",
                           last_name="Lovelace", company="Analytical Engines"),
            CompanyFactory(name="Globex", salesforce_owner_id=SAM),
        ],
        "theirs": [ContactFactory(owner=other, email="grace@elsewhere.example"),
                   CompanyFactory(name="Initech", salesforce_owner_id=SALES_REP_IDS[1])],
    }  # fmt: skip


@pytest.fixture
def page(request, browser, live_server):
    """A page of a fresh browser (not signed in); it trusts the emulator's test certificate
    as a browser trusts Salesforce's."""
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, ignore_https_errors=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{request.node.name}.png"), full_page=True)
    context.close()


def assert_sams_home(page):
    assert page.get_by_role("heading", name="Your records").is_visible()
    contacts = page.locator("#contacts tbody tr")
    assert contacts.count() == 1
    assert "ada@customer.example" in contacts.first.inner_text()
    assert page.locator("#companies tbody tr").count() == 1
    assert "Globex" in page.locator("#companies").inner_text()
    body = page.locator("main").inner_text()
    assert "grace@elsewhere.example" not in body
    assert "Initech" not in body
    assert (
        "1 of your activities waits for a Salesforce match"
        in page.locator("#unresolved-summary").inner_text()
    )


def test_a_sales_user_signs_in_with_email_and_password_and_lands_on_home(
    page, records, live_server
):
    page.goto("/")
    page.wait_for_url("**/accounts/login/**")
    assert "sign up" not in page.locator("main").inner_text().lower()

    page.get_by_label("Email").fill("sam@acme.example")
    page.get_by_label("Password").fill("pw-12345678")
    page.get_by_role("button", name="Sign in", exact=True).click()

    page.wait_for_url(f"{live_server.url}/")
    assert_sams_home(page)


@pytest.fixture
def salesforce_login(settings, emulator):
    """ "Sign in with Salesforce" through the emulated org; its login page signs in Sam."""

    def as_user(username="sam.seller@crmbridge-emulator.example"):
        settings.SOCIALACCOUNT_PROVIDERS = {
            "salesforce": {
                "APPS": [{"client_id": emulator.credentials.client_id,
                          "secret": emulator.credentials.client_secret, "key": emulator.url}],
                # The emulated login page signs in the user it is told (no password form).
                "AUTH_PARAMS": {"login_hint": username},
            }
        }  # fmt: skip

    as_user()
    return as_user


def test_the_sign_in_page_offers_salesforce_and_no_sign_up(page, salesforce_login):
    page.goto("/accounts/login/")

    main = page.locator("main")
    assert page.get_by_role("button", name="Sign in with Salesforce").is_visible()
    assert page.get_by_label("Email").is_visible()
    assert "sign up" not in main.inner_text().lower()
    assert main.evaluate("element => getComputedStyle(element).fontFamily").startswith("system-ui")


def test_a_seat_holder_signs_in_with_salesforce_and_lands_on_home(page, records, salesforce_login):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Salesforce").click()

    page.get_by_role("heading", name="Your records").wait_for()
    assert_sams_home(page)


def test_someone_without_a_seat_signing_in_with_salesforce_sees_why(
    page, records, salesforce_login, django_user_model
):
    salesforce_login("rita.rep@crmbridge-emulator.example")  # Rita's local user has no seat
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Salesforce").click()

    page.get_by_role("heading", name="You have no CRM Bridge seat").wait_for()
    assert "Ask your CRM Bridge admin for a seat" in page.locator("main").inner_text()
    page.goto("/")
    page.wait_for_url("**/accounts/login/**")  # not signed in


def test_the_search_box_narrows_the_list(page, records, sam):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("sam@acme.example")
    page.get_by_label("Password").fill("pw-12345678")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name="Your records").wait_for()

    page.get_by_role("searchbox").fill("nobody")
    page.get_by_role("button", name="Search").click()

    assert "No contact of yours matches “nobody”." in page.locator("#contacts").inner_text()

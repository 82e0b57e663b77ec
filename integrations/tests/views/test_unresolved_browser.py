"""The unresolved activities report in a browser: a sales user finds their item, searches
the (emulated) org and matches it to a Contact."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from tracking.choices import MatchMethod
from tracking.tests.factories import LinkFactory, VisitFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def member_page(browser, live_server, transactional_db, django_user_model):
    """A page at the console's viewport signed in as a sales user (not staff)."""
    member = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    client = Client()
    client.force_login(member)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 768})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.member = member
    yield page
    context.close()


def test_a_member_matches_their_visit_to_a_contact(member_page, connection, emulator):
    page = member_page
    contact = emulator.store.insert(
        "Contact", {"FirstName": "Ada", "LastName": "Lovelace", "Email": "ada@acme.example"}
    )
    visit = VisitFactory(
        link=LinkFactory(owner=page.member, name="Pricing.pdf"),
        visitor_email="ada.lovelace@gmail.example", visitor_name="Ada Lovelace",
        unresolved_since=dt.datetime(2026, 5, 2, 8, tzinfo=dt.UTC),
    )  # fmt: skip
    VisitFactory(unresolved_since=dt.datetime(2026, 5, 2, 8, tzinfo=dt.UTC))  # someone else's

    page.goto("/activities/unresolved/")
    rows = page.locator("#unresolved tbody tr")
    assert rows.count() == 1
    assert "Pricing.pdf" in rows.first.inner_text()
    rows.first.get_by_role("link", name="Match to a Salesforce record").click()

    page.get_by_label("Email or name").fill("Lovelace")
    page.get_by_role("button", name="Search Salesforce").click()
    results = page.locator("#candidates tbody tr")
    assert results.count() == 1
    assert "ada@acme.example" in results.first.inner_text()
    results.first.get_by_role("button", name="Match to this Contact").click()

    page.wait_for_url("**/activities/unresolved/")
    assert "will be written to Salesforce within seconds" in page.locator(".messages").inner_text()
    assert page.locator("#nothing-unresolved").is_visible()
    visit.refresh_from_db()
    assert (visit.salesforce_who_id, visit.matched_by) == (contact, MatchMethod.MANUAL)

"""The demo's error pages as a browser shows them (DEBUG off, as `make_env.py` writes it)."""

import pytest
from django.conf import settings
from django.test import Client

from tracking.tests.factories import ContactFactory
from tracking.views.history import history_url

pytestmark = pytest.mark.browser


def member_page(browser, live_server, user):
    """A browser page with `user`'s session (a sales user, not staff)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context.new_page()


def test_unknown_address_shows_the_products_404_and_a_way_home(browser_page):
    page = browser_page

    response = page.goto("/no-such-page/")

    assert response.status == 404
    assert page.title() == "Page not found · CRM Bridge"
    assert "not yours to see" in page.locator("section").inner_text()
    assert "URLconf" not in page.content()
    page.get_by_role("link", name="Go to the CRM Bridge home page").click()
    page.wait_for_load_state()
    assert page.title() != "Page not found · CRM Bridge"


def test_someone_elses_record_looks_like_a_missing_one(
    browser, live_server, transactional_db, django_user_model
):
    owner = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    member = django_user_model.objects.create_user("member", "member@example.com", "pw-1234567")
    theirs = ContactFactory(owner=owner)
    page = member_page(browser, live_server, member)

    forbidden = page.goto(history_url(theirs))
    forbidden_page = (page.title(), page.locator("section").inner_text())
    missing = page.goto(history_url(theirs).replace(f"/{theirs.pk}/", f"/{theirs.pk + 1000}/"))

    assert (forbidden.status, missing.status) == (404, 404)
    assert forbidden_page == (page.title(), page.locator("section").inner_text())
    assert forbidden_page[0] == "Page not found · CRM Bridge"
    page.context.close()

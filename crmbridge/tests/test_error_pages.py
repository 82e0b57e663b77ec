"""The product's own error pages (templates/404.html, 403.html, 500.html), as the demo shows them.

The demo and production run with DEBUG off (as the test client does): no URL pattern lists,
no exception text, the same page for a missing and a forbidden record.
"""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tracking.tests.factories import ContactFactory
from tracking.views.history import history_url

pytestmark = pytest.mark.django_db


def without_csrf_tokens(html: str) -> str:
    """The page without its per-request CSRF token (the sign-out form's)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_an_unknown_url_gives_the_products_404_without_url_patterns(client):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · CRM Bridge</title>" in html
    assert 'href="/"' in html  # a way home
    assert "URLconf" not in html
    assert "admin/" not in html  # no list of the URL patterns


def test_a_forbidden_and_a_missing_record_look_the_same(client, django_user_model):
    owner = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    other = django_user_model.objects.create_user("other", "other@example.com", "pw-12345678")
    contact = ContactFactory(owner=owner)
    client.force_login(other)

    forbidden = client.get(history_url(contact))
    missing = client.get(reverse("records:history", args=["contacts", contact.pk + 1000]))

    assert forbidden.status_code == missing.status_code == 404
    assert without_csrf_tokens(forbidden.content.decode()) == without_csrf_tokens(
        missing.content.decode()
    )
    assert "Contact" not in forbidden.content.decode()  # no "No Contact matches the query"


def test_a_forbidden_page_gives_the_products_403(client, django_user_model):
    # given: staff without the permission to change the Salesforce connection
    staff = django_user_model.objects.create_user("ops", "ops@example.com", "pw", is_staff=True)
    client.force_login(staff)

    response = client.post(reverse("admin:integrations_salesforceconnection_check"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "<title>Not allowed · CRM Bridge</title>" in html
    assert 'href="/"' in html


def test_a_server_error_gives_the_products_500():
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<title>Something went wrong · CRM Bridge</title>" in html
    assert 'href="/"' in html


def test_a_bad_request_gives_the_products_400(client):
    response = client.get("/", headers={"Host": "not-served.example.com"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Bad request · CRM Bridge</title>" in html
    assert "ALLOWED_HOSTS" not in html

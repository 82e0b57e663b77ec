"""Signing in: email + password, "Sign in with Salesforce", and the console for staff only."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(
        "rep", "rep@example.com", "a-long-password-123", is_staff=False
    )


def test_members_sign_in_with_email_and_password(client, member):
    response = client.post(
        reverse("account_login"), {"login": "rep@example.com", "password": "a-long-password-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(member.pk)
    home = client.get(reverse("home"))  # signed in: their home page, not sign-in
    assert home.status_code == 200
    assert "Your records" in home.content.decode()


def test_wrong_password_is_refused(client, member):
    response = client.post(
        reverse("account_login"), {"login": "rep@example.com", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_in_with_salesforce_uses_the_configured_login_url(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "salesforce": {
            "APPS": [
                {"client_id": "login-app", "secret": "s", "key": "https://acme.my.salesforce.com"}
            ]
        }
    }
    response = client.post(reverse("salesforce_login"), {"process": "login"})
    target = urlparse(response["Location"])
    assert response.status_code == 302
    assert f"{target.scheme}://{target.netloc}{target.path}" == (
        "https://acme.my.salesforce.com/services/oauth2/authorize"
    )
    assert parse_qs(target.query)["client_id"] == ["login-app"]


def test_members_cannot_open_the_console(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_self_sign_up_is_closed(client, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "a-long-password-123",
         "password2": "a-long-password-123"},
    )  # fmt: skip
    assert "closed" in response.content.decode().lower()
    assert not django_user_model.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize(
    ("method", "view"),
    [("get", "salesforce_login"), ("post", "salesforce_login"), ("get", "salesforce_callback")],
)
def test_sign_in_with_salesforce_without_a_login_app_says_so(client, settings, method, view):
    settings.SOCIALACCOUNT_PROVIDERS = {"salesforce": {"APPS": []}}

    response = getattr(client, method)(reverse(view), {"process": "login"})

    html = response.content.decode()
    assert response.status_code == 404
    assert "Sign in with Salesforce is not set up" in html
    assert f'href="{reverse("account_login")}"' in html  # the email + password sign-in


def test_the_sign_in_page_offers_salesforce_only_when_it_is_set_up(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"salesforce": {"APPS": []}}

    html = client.get(reverse("account_login")).content.decode()

    assert reverse("salesforce_login") not in html


def test_the_sign_in_page_has_no_sign_up_text_as_sign_up_is_closed(client):
    html = client.get(reverse("account_login")).content.decode()

    assert "sign up" not in html.lower()
    assert reverse("account_signup") not in html
    assert "there is no self sign-up" in html
    assert "<style>" in html  # the product's own stylesheet, as every page


def test_the_sign_in_page_offers_salesforce_when_it_is_set_up(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "salesforce": {"APPS": [{"client_id": "app", "secret": "s", "key": "https://x.example"}]}
    }

    html = client.get(reverse("account_login")).content.decode()

    assert f'action="{reverse("salesforce_login")}?process=login"' in html
    assert "Sign in with Salesforce" in html


def test_a_wrong_password_says_so_on_the_styled_page(client, member):
    response = client.post(
        reverse("account_login"), {"login": "rep@example.com", "password": "wrong"}
    )
    assert 'class="errorlist"' in response.content.decode()

"""The environment → settings contract: TLS behind a proxy, HSTS, and the deploy checks."""

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import environ
import pytest
import requests
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from integrations.choices import AuthMethod, ConnectionStatus
from integrations.models import SalesforceConnection

ROOT = Path(__file__).resolve().parents[2]
# What the proxy passes on: the original host, and the scheme the client used.
PLAIN = {"Host": "crm.example.com"}
PROXY = {**PLAIN, "X-Forwarded-Proto": "https"}


def load_settings(monkeypatch, **variables) -> dict:
    """crmbridge/settings.py evaluated with exactly these variables (and no .env file)."""
    base = {"SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    monkeypatch.setattr(environ.Env, "ENVIRON", {**base, **variables})
    monkeypatch.setattr(environ.Env, "read_env", classmethod(lambda cls, *a, **k: None))
    return runpy.run_path(str(ROOT / "crmbridge" / "settings.py"))


def documented_production_environment() -> dict[str, str]:
    """The variables of the README's production example, placeholders filled as make_env does."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Production", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    variables = {}
    for line in block.splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split("=", 1)
            variables[name] = value
    fresh = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }
    placeholders = {name for name, value in variables.items() if value.startswith("<")}
    assert placeholders == set(fresh)  # everything else is meant literally
    return {**variables, **fresh}


def test_behind_a_tls_proxy_the_flags_come_from_the_environment(monkeypatch):
    loaded = load_settings(
        monkeypatch,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto,https",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )

    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31536000
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["SECURE_HSTS_PRELOAD"] is True


def test_without_a_proxy_nothing_is_trusted_or_redirected(monkeypatch):
    loaded = load_settings(monkeypatch)

    assert loaded["SECURE_PROXY_SSL_HEADER"] is None
    assert loaded["SECURE_SSL_REDIRECT"] is False
    assert loaded["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("x-forwarded-ssl,on", ("HTTP_X_FORWARDED_SSL", "on")),
        ("HTTP_X_FORWARDED_PROTO,https", ("HTTP_X_FORWARDED_PROTO", "https")),
    ],
)
def test_the_proxy_header_is_named_as_the_proxy_sends_it(monkeypatch, value, expected):
    assert load_settings(monkeypatch, SECURE_PROXY_SSL_HEADER=value)[
        "SECURE_PROXY_SSL_HEADER"
    ] == expected  # fmt: skip


@pytest.mark.parametrize("value", ["X-Forwarded-Proto,https,extra", "X-Forwarded-Proto,", ","])
def test_a_malformed_proxy_header_stops_the_start(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
        load_settings(monkeypatch, SECURE_PROXY_SSL_HEADER=value)


def test_deploy_checks_pass_with_the_documented_production_environment():
    configured = {"DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECRET_KEY"}
    env = {name: value for name, value in os.environ.items() if name not in configured}
    env.update(documented_production_environment())

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.fixture
def behind_proxy(settings, monkeypatch):
    """This process's settings as the documented production environment makes them."""
    loaded = load_settings(monkeypatch, **documented_production_environment())
    for name in [
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ]:
        setattr(settings, name, loaded[name])
    settings.ALLOWED_HOSTS = loaded["ALLOWED_HOSTS"]
    return loaded


@pytest.mark.django_db
def test_behind_the_proxy_http_is_redirected_and_https_gets_hsts(client, behind_proxy):
    plain = client.get("/accounts/login/", headers=PLAIN)
    secure = client.get("/accounts/login/", headers=PROXY)

    assert plain.status_code == 301
    assert plain["Location"] == "https://crm.example.com/accounts/login/"
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_behind_the_proxy_salesforce_redirects_back_to_https(behind_proxy, admin_user, emulator):
    # given: the console reached through the TLS proxy, the connected app saved for OAuth
    console = Client(headers=PROXY)
    console.force_login(admin_user)
    page = reverse("admin:integrations_salesforceconnection_change", args=[1])
    console.post(
        page,
        {
            "environment": "custom",
            "custom_login_url": emulator.url,
            "auth_method": AuthMethod.OAUTH,
            "client_id": emulator.credentials.client_id,
            "client_secret": emulator.credentials.client_secret,
            "username": "",
            "password": "",
            "security_token": "",
            "api_cap_percent": "",
            "api_cap_calls": "",
        },
    )
    callback = "https://crm.example.com/admin/integrations/salesforceconnection/oauth/callback/"
    shown = console.get(page).content.decode()
    # when: Connect Salesforce, and Salesforce approves
    start = console.post(reverse("admin:integrations_salesforceconnection_oauth_start"))
    authorize = parse_qs(urlparse(start["Location"]).query)
    approved = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlparse(approved.headers["Location"])
    console.get(f"{back.path}?{back.query}")
    # then: the callback Salesforce was given, and the one shown for the set-up, are https
    assert authorize["redirect_uri"] == [callback]
    assert approved.headers["Location"].startswith(callback)
    assert SalesforceConnection.load().status == ConnectionStatus.CONNECTED
    assert callback in shown

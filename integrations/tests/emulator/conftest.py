"""Fixtures to drive the emulator over real HTTPS, as the product's client does.

The suite-wide `emulator` fixture (a running emulator, reset per test) comes from the root
conftest; these add a logged-in REST client and put the org's counters back afterwards.
"""

import pytest
import requests

API_VERSION = "62.0"


class ApiClient:
    """A logged-in REST client; paths are relative to /services/data/vNN.N/."""

    def __init__(self, emulator, session: requests.Session):
        self.emulator = emulator
        self.session = session
        self.base = f"{emulator.url}/services/data/v{API_VERSION}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        if path.startswith("http"):
            url = path
        elif path.startswith("/services/"):
            url = f"{self.emulator.url}{path}"
        else:
            url = f"{self.base}/{path}"
        return self.session.request(method, url, timeout=10, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def query(self, soql: str, **kwargs) -> requests.Response:
        return self.get("query", params={"q": soql}, **kwargs)


def new_session(emulator) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would override `verify`
    session.verify = emulator.ca_file
    return session


def password_login(emulator, session: requests.Session, **overrides) -> requests.Response:
    credentials = emulator.credentials
    form = {
        "grant_type": "password",
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
        "username": credentials.username,
        "password": credentials.password + credentials.security_token,
        **overrides,
    }
    return session.post(f"{emulator.url}/services/oauth2/token", data=form, timeout=10)


@pytest.fixture
def org(emulator):
    """The reset emulator; afterwards its API usage, latency and sessions are back to normal."""
    yield emulator
    emulator.set_api_usage(used=0, max=100_000)
    emulator.latency = 0.0
    emulator.expire_sessions()


@pytest.fixture
def http(org) -> requests.Session:
    return new_session(org)


@pytest.fixture
def api(org, http) -> ApiClient:
    token = password_login(org, http).json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    return ApiClient(org, http)

"""The requests session every Salesforce call goes through.

simple-salesforce sets no timeout of its own, so the session's adapter applies one to every
request. Retries are not done here (urllib3's retry knows nothing of Salesforce's error
codes or of which calls are safe to repeat); the client does them.
"""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter

from integrations import conf


class TimeoutHTTPAdapter(HTTPAdapter):
    """An HTTPAdapter that applies a default (connect, read) timeout to every request."""

    def __init__(self, *args, timeout: tuple[float, float], **kwargs):
        self.timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def new_session() -> requests.Session:
    """A pooled session with timeouts; it honours REQUESTS_CA_BUNDLE like any requests call."""
    session = requests.Session()
    adapter = TimeoutHTTPAdapter(
        timeout=conf.get("HTTP_TIMEOUT"), pool_connections=4, pool_maxsize=8, max_retries=0
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session

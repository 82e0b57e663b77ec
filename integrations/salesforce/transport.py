"""What the batched writers need from the client: authenticated REST requests.

`collections` and `bulk` are written against this protocol rather than the client class, so
the client can use them without an import circle.
"""

from __future__ import annotations

from typing import Any, Protocol

import requests


class Transport(Protocol):
    def request(self, method: str, path: str, *, idempotent: bool = True, **kwargs: Any) -> Any:
        """A JSON request to the REST API (path relative to /services/data/vNN.N/)."""

    def request_raw(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool = True,
        headers: dict | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """A request whose body is not JSON (Bulk API CSV)."""

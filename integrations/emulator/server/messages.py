"""The request and response objects route handlers receive and return, and the route table."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

from ..errors import ApiError


def _non_standard_token(name: str):
    raise ValueError(f"Non-standard token '{name}'")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    version: str = ""  # the API version of a /services/data/vNN.N/ path, e.g. "58.0"
    session: object = None  # the OAuth session of an authenticated API call
    lock_records: int = 0  # records an injected "lock" fault makes fail in this call

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self):
        """The JSON body, or Salesforce's JSON_PARSER_ERROR (also for NaN and Infinity, which
        Salesforce's parser refuses as Python's would not)."""
        try:
            return json.loads(self.body or b"null", parse_constant=_non_standard_token)
        except ValueError as error:
            raise ApiError("JSON_PARSER_ERROR", f"Unexpected character: {error}") from error

    def form(self) -> dict[str, str]:
        """Form fields of an application/x-www-form-urlencoded body, over the query string."""
        fields = {name: values[0] for name, values in self.query.items()}
        decoded = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        fields.update({name: values[0] for name, values in decoded.items()})
        return fields

    @property
    def data_base(self) -> str:
        """The path prefix of this API version's resources, e.g. /services/data/v58.0."""
        return f"/services/data/v{self.version}"


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json;charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)
    disconnect: bool = False  # close the connection without answering


def json_response(data, status: int = 200) -> Response:
    return Response(status, json.dumps(data, separators=(",", ":")).encode())


def empty_response(status: int = 204) -> Response:
    return Response(status, b"", content_type="")


def text_response(text: str, status: int = 200, content_type="text/plain") -> Response:
    return Response(status, text.encode(), content_type=f"{content_type};charset=UTF-8")


def error_response(error: ApiError) -> Response:
    return json_response(error.as_rest_body(), error.status)


Handler = Callable[..., Response]


@dataclass(frozen=True)
class Route:
    """`pattern` is a regex over the path after the area prefix; named groups become kwargs.

    `area` is "data" (versioned REST API), "oauth", or "control" (the emulator's own).
    `writes` marks calls that write, where write faults strike: "record" (one record, the
    call fails), "records" (collections, a bulk job: records fail one by one) or "data" (a
    Bulk API upload: stored, no record written yet; only the faults after applying strike)."""

    method: str
    pattern: str
    handler: Handler
    area: str = "data"
    writes: str | None = None

    def match(self, path: str) -> dict | None:
        """The decoded path parameters if `path` (still percent-encoded) matches."""
        found = re.fullmatch(self.pattern, path)
        return (
            {name: unquote(value) for name, value in found.groupdict().items()} if found else None
        )

"""Checks of values the local records accept: what the databases and Salesforce can store.

One place for the rules the ingestion API (and any other writer) applies before writing:

- text: no NUL character (PostgreSQL cannot store it) and no lone surrogate (not Unicode:
  SQLite stores it, but it cannot be encoded to render a page or send to Salesforce);
- JSON properties: the same for every key and string, and numbers must be finite (NaN and
  Infinity are not JSON: SQLite's JSON_VALID and PostgreSQL's jsonb refuse them);
- blank: a value made only of whitespace, control or invisible (format) characters;
- email: what Salesforce's Email fields accept (80 characters; ASCII: a dot-atom local part,
  not quoted, and a host name with a dot, not an IP address);
- web address (a company's domain or website): a host name, or an http(s) URL of one.

The OpenAPI document states the same rules as patterns (`*_pattern`), so what it declares
valid is what the API accepts. Each check raises `InvalidValue` with a reason for people
and, inside JSON, the path of the offending key.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import unicodedata
from typing import Any

# Salesforce's Email fields hold 80 characters.
EMAIL_MAX_LENGTH = 80
LOCAL_PART_MAX_LENGTH = 64  # RFC 5321


class InvalidValue(ValueError):  # noqa: N818 - a reason, raised by every check alike
    """A value that cannot be stored; `path` names the JSON key inside a value, if any."""

    def __init__(self, reason: str, *, path: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path


def check_text(value: str) -> str:
    """`value`, if both databases and Salesforce can store it."""
    if "\x00" in value:
        raise InvalidValue("must not contain the NUL character (\\u0000)")
    if _has_lone_surrogate(value):
        raise InvalidValue("must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not")
    return value


def check_json(value: Any, *, path: str = "") -> Any:
    """`value` (a decoded JSON document), if every key, string and number in it is storable."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidValue("must be a finite number: NaN and Infinity are not JSON", path=path)
    if isinstance(value, str):
        _check_json_text(value, path=path)
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{_printable(str(key))}" if path else _printable(str(key))
            _check_json_text(str(key), path=inner)
            check_json(item, path=inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, path=f"{path}.{index}" if path else str(index))
    return value


def is_blank(value: str) -> bool:
    """Only whitespace, control or invisible (format) characters, e.g. a zero-width space."""
    return all(_is_blank_char(char) for char in value)


def check_email(value: str) -> str:
    """`value`, if it is an address Salesforce's Email fields accept (a subset of what
    JSON schema's `email` format allows, so the OpenAPI document holds)."""
    if len(value) > EMAIL_MAX_LENGTH:
        raise InvalidValue(
            f"too long for Salesforce: an email has at most {EMAIL_MAX_LENGTH} characters"
        )
    if value != value.strip():
        raise InvalidValue("must not start or end with spaces")
    if not re.fullmatch(_EMAIL, value):
        raise InvalidValue(_email_reason(value))
    if len(value.rpartition("@")[0]) > LOCAL_PART_MAX_LENGTH:
        raise InvalidValue(
            f"not a valid email address: at most {LOCAL_PART_MAX_LENGTH} characters before @"
        )
    return value


def check_web_address(value: str) -> str:
    """`value`, if it is "", a host name or an http(s) URL of one (ASCII: an
    internationalised domain in its xn-- form): what `web_address_pattern` says."""
    if value and not re.fullmatch(_WEB_ADDRESS, value):
        raise InvalidValue("not a host name or http(s) URL")
    return value


def text_pattern(*, required: bool) -> str:
    """The OpenAPI pattern of what `check_text` (and, when required, not `is_blank`) accepts.

    Lone surrogates are left out: a pattern cannot name them (Rust's regular expressions,
    which JSON-schema validators use, refuse them), and JSON generators do not make them.
    """
    storable = "[^\\u0000]*"
    if not required:
        return f"^{storable}$"
    return f"^{storable}[^{_char_class(_is_blank_char)}]{storable}$"


def web_address_pattern(*, blank: bool = True) -> str:
    """The OpenAPI pattern of what `check_web_address` accepts (every match is also a JSON
    schema `uri-reference`); `blank=False` leaves the empty string out."""
    return f"^(?:{_WEB_ADDRESS}){'?' if blank else ''}$"


# Regular expressions Python, ECMA 262 and Rust read alike (ASCII classes, no look-around).
_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LABEL = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"  # not all digits: no IP address
_HOST = f"(?:{_LABEL}\\.)+{_TOP_LABEL}"
_EMAIL = f"{_ATEXT}+(?:\\.{_ATEXT}+)*@{_HOST}"
_PCHAR = "(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
# A port only after a scheme: "1acme.com:80" alone would read as a URI scheme.
_WEB_ADDRESS = (
    f"(?:[Hh][Tt][Tt][Pp][Ss]?://{_HOST}\\.?(?::[0-9]{{1,5}})?|{_HOST}\\.?)"
    f"(?:/(?:{_PCHAR}|/)*)?(?:\\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
)


def _email_reason(value: str) -> str:
    local, _, domain = value.rpartition("@")
    if local.startswith('"') or "(" in value:
        return "not accepted by Salesforce: quoted local parts and comments"
    if domain.startswith("[") or re.fullmatch(r"[0-9.]+", domain):
        return "not accepted by Salesforce: an IP address as the domain"
    if any(_is_blank_char(char) for char in value):
        return "not a valid email address: it contains invisible characters"
    if not value.isascii():
        return (
            "not accepted by Salesforce: only ASCII characters (write an internationalised "
            "domain in its xn-- form)"
        )
    if local and not re.fullmatch(_HOST, domain):
        return "not a valid email address: the domain is not a host name with a dot"
    return "not a valid email address"


def _is_blank_char(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


@functools.cache
def _char_class(test) -> str:
    """The characters passing `test` as a class body (\\uXXXX escapes in the BMP, the
    character itself above it, so Python, ECMA 262 and Rust read it alike)."""
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if not test(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        _class_char(first) if first == last else f"{_class_char(first)}-{_class_char(last)}"
        for first, last in ranges
    )


def _class_char(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


def _check_json_text(value: str, *, path: str) -> None:
    try:
        check_text(value)
    except InvalidValue as error:
        raise InvalidValue(error.reason, path=path) from None


def _printable(key: str) -> str:
    """A key as a path can show it: a lone surrogate becomes its escape (`\\ud800`)."""
    return key.encode("utf-8", "backslashreplace").decode()


def _has_lone_surrogate(value: str) -> bool:
    # A valid pair never reaches Python as two code points: json decodes it to one.
    return any("\ud800" <= char <= "\udfff" for char in value)

"""Checks of values the local records accept: what the databases and Salesforce can store.

One place for the rules the ingestion API (and any other writer) applies before writing:

- text: no NUL character (PostgreSQL cannot store it) and no lone surrogate (not Unicode:
  SQLite stores it, but it cannot be encoded to render a page or send to Salesforce);
- JSON properties: the same for every key and string, and numbers must be finite (NaN and
  Infinity are not JSON: SQLite's JSON_VALID and PostgreSQL's jsonb refuse them);
- blank: a value made only of whitespace, control or invisible (format) characters;
- email: what Salesforce's Email fields accept (80 characters, an unquoted local part, a
  host name with a dot, nothing invisible).

Each check raises `InvalidValue` with a reason for people and, inside JSON, the path of the
offending key.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

# Salesforce's Email fields hold 80 characters.
EMAIL_MAX_LENGTH = 80
# The characters Salesforce accepts in a local part besides letters, digits and dots (RFC
# 5322 "atext"); quoted local parts and comments are not accepted here.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.+[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]*)*")
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}
_LABEL_MAX_LENGTH = 63


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
    """Only whitespace, control or invisible characters (e.g. a zero-width space)."""
    return all(unicodedata.category(char) in _INVISIBLE for char in value)


def check_email(value: str) -> str:
    """`value`, if it is an address Salesforce's Email fields accept."""
    if len(value) > EMAIL_MAX_LENGTH:
        raise InvalidValue(
            f"too long for Salesforce: an email has at most {EMAIL_MAX_LENGTH} characters"
        )
    local, at, domain = value.rpartition("@")
    if not at or not local:
        raise InvalidValue("not a valid email address")
    if local.startswith('"') or "(" in value:
        raise InvalidValue("not accepted by Salesforce: quoted local parts and comments")
    if any(unicodedata.category(char) in _INVISIBLE for char in value):
        raise InvalidValue("not a valid email address: it contains invisible characters")
    if not _LOCAL_PART.fullmatch(local):
        raise InvalidValue("not a valid email address")
    if domain.startswith("["):
        raise InvalidValue("not accepted by Salesforce: an IP address as the domain")
    if not _is_host_name(domain):
        raise InvalidValue("not a valid email address: the domain is not a host name")
    return value


def _is_host_name(domain: str) -> bool:
    """Labels of letters, digits and inner hyphens, with a dot and a top level that is not
    all digits (so no IP address); letters may be non-ASCII (internationalised domains)."""
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return False
    return all(_is_label(label) for label in labels)


def _is_label(label: str) -> bool:
    if not label or len(label) > _LABEL_MAX_LENGTH or label[0] == "-" or label[-1] == "-":
        return False
    return all(char == "-" or unicodedata.category(char)[0] in "LNM" for char in label)


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

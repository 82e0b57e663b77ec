"""Building SOQL safely.

Every value goes through simple-salesforce's `format_soql`, which quotes and escapes it
(quotes, backslashes, control characters; `{:like}` also escapes % and _), so no value can
change a query's meaning. Object and field names are never taken from input without being
checked against `IDENTIFIER`. `IN (...)` lists are split so that each statement stays under
Salesforce's 100,000-character limit and its URL under the 16,384-byte request-line limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote_plus

from simple_salesforce.format import format_soql, quote_soql_value

from integrations import conf

IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$")

__all__ = ["IDENTIFIER", "format_soql", "identifier", "select", "select_in_chunks"]


def identifier(name: str) -> str:
    """Return `name` if it is a plain (optionally dotted) SOQL identifier, else raise."""
    if not IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a valid Salesforce object or field name")
    return name


def select(
    sobject: str,
    fields: Sequence[str],
    *,
    where: str = "",
    order_by: str = "",
    limit: int | None = None,
) -> str:
    """A SELECT statement; `where` must already be built with `format_soql`."""
    columns = ", ".join(identifier(field) for field in dict.fromkeys(fields))
    statement = f"SELECT {columns} FROM {identifier(sobject)}"
    if where:
        statement += f" WHERE {where}"
    if order_by:
        statement += f" ORDER BY {order_by}"
    if limit is not None:
        statement += f" LIMIT {int(limit)}"
    return statement


def select_in_chunks(
    sobject: str,
    fields: Sequence[str],
    *,
    field: str,
    values: Iterable,
    extra_where: str = "",
    base_url_bytes: int | None = 200,
) -> Iterator[str]:
    """Yield SELECTs with `field IN (...)` covering all `values`, each small enough to send.

    A statement is closed when the next value would push the SOQL past the character limit
    or, for statements sent in a URL, the URL-encoded query string past the URL budget
    (`base_url_bytes` covers the scheme, host and path in front of `?q=`; None for
    statements sent in a request body, e.g. as composite subrequests).
    """
    prefix = select(sobject, fields) + f" WHERE {identifier(field)} IN ("
    suffix = ")" + (f" AND ({extra_where})" if extra_where else "")
    max_chars = conf.get("QUERY_MAX_CHARS")
    if base_url_bytes is None:
        max_url = float("inf")
    else:
        max_url = conf.get("QUERY_URL_MAX_BYTES") - base_url_bytes
    fixed_chars = len(prefix) + len(suffix)
    fixed_url = len(quote_plus(prefix)) + len(quote_plus(suffix))
    chunk: list[str] = []
    chars, url = fixed_chars, fixed_url
    for value in dict.fromkeys(values):
        literal = quote_soql_value(value)
        extra_chars = len(literal) + (1 if chunk else 0)
        extra_url = len(quote_plus(literal)) + (3 if chunk else 0)  # "," encodes as %2C
        if fixed_chars + len(literal) > max_chars or fixed_url + extra_url > max_url:
            raise ValueError(f"A single value is too long to query by: {value!r:.80}")
        if chunk and (chars + extra_chars > max_chars or url + extra_url > max_url):
            yield prefix + ",".join(chunk) + suffix
            chunk, chars, url = [], fixed_chars, fixed_url
            extra_chars, extra_url = len(literal), len(quote_plus(literal))
        chunk.append(literal)
        chars += extra_chars
        url += extra_url
    if chunk:
        yield prefix + ",".join(chunk) + suffix

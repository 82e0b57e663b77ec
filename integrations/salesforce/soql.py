"""Building SOQL safely.

Every value goes through simple-salesforce's `format_soql`, which quotes and escapes it
(quotes, backslashes, control characters; `{:like}` also escapes % and _), so no value can
change a query's meaning. Object and field names are never taken from input without being
checked against `IDENTIFIER`. `IN (...)` lists are split so that each statement stays under
Salesforce's 100,000-character limit; the client sends such statements in Composite request
bodies, where the 16,384-byte URL limit of a GET does not apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from simple_salesforce.format import format_soql, quote_soql_value

from integrations import conf

# Matched whole (`fullmatch`): `$` would let a trailing newline through.
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*")

__all__ = ["IDENTIFIER", "format_soql", "identifier", "select", "select_in_chunks"]


def identifier(name: str) -> str:
    """Return `name` if it is a plain (optionally dotted) SOQL identifier, else raise."""
    if not IDENTIFIER.fullmatch(name):
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
) -> Iterator[str]:
    """Yield SELECTs with `field IN (...)` covering all `values`, each under Salesforce's
    100,000-character limit (they travel in a request body: see `client.query_many`)."""
    prefix = select(sobject, fields) + f" WHERE {identifier(field)} IN ("
    suffix = ")" + (f" AND ({extra_where})" if extra_where else "")
    max_chars = conf.get("QUERY_MAX_CHARS")
    fixed = len(prefix) + len(suffix)
    chunk: list[str] = []
    length = fixed
    for value in dict.fromkeys(values):
        literal = quote_soql_value(value)
        if fixed + len(literal) > max_chars:
            raise ValueError(f"A single value is too long to query by: {value!r:.80}")
        if chunk and length + 1 + len(literal) > max_chars:
            yield prefix + ",".join(chunk) + suffix
            chunk, length = [], fixed
        length += len(literal) + (1 if chunk else 0)
        chunk.append(literal)
    if chunk:
        yield prefix + ",".join(chunk) + suffix

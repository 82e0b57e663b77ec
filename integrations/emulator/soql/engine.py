"""The emulator's SOQL engine: compile a statement once, then run it over records.

`compile_query` parses, resolves every name against the schema (`fields_of`) and type-checks
every literal, raising `SoqlError` with Salesforce's error codes; the `CompiledQuery` it
returns filters, sorts, offsets and limits record dicts with precompiled Python callables, so
running it over a hundred thousand records does no parsing at all.

The store supplies `fields_of(object_name) -> {FieldName: field_info} | None`, which also has
`fields_of.canonical_name(name) -> str | None`, and `get_parent(record, relationship_name)`
to follow lookups such as `Account` from a Contact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from .fields import FieldsOf, ParentOf, Reader, Resolver, make_raw_reader
from .filters import ConditionCompiler, EqualityHint, Predicate
from .lexer import SoqlError, located_error
from .parser import FieldPath, OrderItem, ParsedQuery, parse

__all__ = ["CompiledQuery", "FieldsOf", "SoqlError", "compile_query"]

MAX_OFFSET = 2000


@dataclass(frozen=True, slots=True)
class SortKey:
    read: Reader
    descending: bool
    nulls_first: bool


class CompiledQuery:
    """A validated statement, ready to run over the records of `object_name`."""

    def __init__(
        self,
        *,
        object_name: str,
        select: list[str],
        is_count: bool,
        limit: int | None,
        offset: int | None,
        predicate: Predicate | None,
        sort_keys: list[SortKey],
        hints: list[EqualityHint],
    ):
        self.object_name = object_name
        self.select = select
        self.is_count = is_count
        self.limit = limit
        self.offset = offset
        self._predicate = predicate
        self._sort_keys = sort_keys
        self._hints = hints
        self._readers: dict[str, Reader] = {path: make_raw_reader(path) for path in select}

    def equality_hint(self) -> tuple[str, frozenset] | None:
        """(field, values) when the top-level AND chain pins an indexable field to values.

        Text values are lowercased; ids are 18-character ids as Salesforce returns them. A
        record can only match if its field holds one of the values, so the store may look
        candidates up by index instead of scanning. Id is preferred when several qualify.
        """
        if not self._hints:
            return None
        best = next((hint for hint in self._hints if hint.field == "Id"), self._hints[0])
        return best.field, best.values

    def pinned_fields(self) -> frozenset[str]:
        """Fields the top-level AND chain pins to given values (`=` or `IN`)."""
        return frozenset(hint.field for hint in self._hints)

    def run(self, records: Iterable[dict], get_parent: ParentOf) -> list[dict]:
        """The records matching WHERE, in ORDER BY order, after OFFSET and LIMIT."""
        predicate = self._predicate
        matching = (
            records
            if predicate is None
            else (record for record in records if predicate(record, get_parent))
        )
        start = self.offset or 0
        stop = None if self.limit is None else start + self.limit
        if not self._sort_keys:
            return list(islice(matching, start, stop))
        rows = list(matching)
        self._sort(rows, get_parent)
        return rows[start:stop]

    def value(self, record: dict, path: str, get_parent: ParentOf) -> Any:
        """The stored value at a canonical SELECT path such as `Account.Name` (None if a parent
        on the way is missing)."""
        if path not in self._readers:
            self._readers[path] = make_raw_reader(path)
        return self._readers[path](record, get_parent)

    def _sort(self, rows: list[dict], get_parent: ParentOf) -> None:
        """Sort in place: one stable pass per key, last key first.

        Nulls come first in ascending and last in descending order unless NULLS says otherwise;
        the null rank is chosen so that the reversed pass of a descending key puts them right.
        """
        for key in reversed(self._sort_keys):
            null_rank = 0 if key.nulls_first != key.descending else 2
            rows.sort(key=_sort_value(key.read, null_rank, get_parent), reverse=key.descending)


def _sort_value(read: Reader, null_rank: int, get_parent: ParentOf) -> Callable[[dict], tuple]:
    def sort_value(record: dict) -> tuple:
        value = read(record, get_parent)
        return (null_rank, 0) if value is None else (1, value)

    return sort_value


def compile_query(soql: str, fields_of: FieldsOf, *, now: datetime | None = None) -> CompiledQuery:
    """Parse and validate `soql` against the schema; raises SoqlError as Salesforce would.

    `now` (default: the current time) fixes what relative date literals such as TODAY mean;
    the emulator's users are all in UTC.
    """
    parsed = parse(soql)
    resolver = Resolver(soql, fields_of)
    object_name = resolver.resolve_object(parsed.object_name, parsed.object_position)
    select = _select_paths(soql, resolver, parsed.select)
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    compiler = ConditionCompiler(soql, resolver, today)
    predicate = compiler.compile(parsed.where) if parsed.where is not None else None
    sort_keys = [_sort_key(soql, resolver, item) for item in parsed.order_by]
    _check_count_and_offset(soql, parsed)
    return CompiledQuery(
        object_name=object_name,
        select=select,
        is_count=parsed.is_count,
        limit=parsed.limit,
        offset=parsed.offset,
        predicate=predicate,
        sort_keys=sort_keys,
        hints=compiler.hints,
    )


def _select_paths(soql: str, resolver: Resolver, fields: tuple[FieldPath, ...]) -> list[str]:
    paths: list[str] = []
    for field in fields:
        resolved = resolver.resolve(field)
        if resolved.path in paths:
            detail = f"duplicate field selected: {resolved.name}"
            raise located_error("INVALID_FIELD", soql, field.position, detail)
        paths.append(resolved.path)
    return paths


def _sort_key(soql: str, resolver: Resolver, item: OrderItem) -> SortKey:
    resolved = resolver.resolve(item.field)
    if not resolved.info.get("sortable", True):
        detail = f"field '{resolved.name}' can not be sorted in a query call"
        raise located_error("INVALID_FIELD", soql, item.field.position, detail)
    return SortKey(resolved.read, item.descending, item.nulls_first)


def _check_count_and_offset(soql: str, parsed: ParsedQuery) -> None:
    if parsed.is_count and parsed.order_by:
        position = parsed.order_by[0].field.position
        detail = "ORDER BY can not be used with COUNT()"
        raise located_error("MALFORMED_QUERY", soql, position, detail)
    if parsed.offset is not None and parsed.offset > MAX_OFFSET:
        message = f"Maximum SOQL offset allowed is {MAX_OFFSET}"
        raise SoqlError("NUMBER_OUTSIDE_VALID_RANGE", message)

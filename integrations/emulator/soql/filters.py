"""Compiling a WHERE clause into one Python predicate, checking literal types on the way.

Each comparison is type-checked against its field once, its literal converted once, and turned
into a closure `predicate(record, get_parent) -> bool`; IN lists become sets. SOQL semantics:
text compares case-insensitively, `!=` and `NOT IN` match nulls, LIKE matches the whole value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from ..records.ids import normalize_id
from .fields import ParentOf, ResolvedField, Resolver
from .lexer import SoqlError, Token, invalid_string_literal, located_error
from .parser import Comparison, Junction, Negation

Predicate = Callable[[dict, ParentOf], bool]

HINT_TYPES = frozenset({"id", "reference", "string", "email"})
ORDERING_OPERATORS = frozenset({"<", "<=", ">", ">="})
QUOTED_KINDS = frozenset({"text", "id"})


class DateRange(NamedTuple):
    """A relative date literal (TODAY, LAST_N_DAYS:n ...) as [start, end) in the field's type."""

    start: date
    end: date


class EqualityHint(NamedTuple):
    field: str
    values: frozenset


class ConditionCompiler:
    """Compiles the WHERE tree of one statement; `hints` collects the top-level equalities."""

    def __init__(self, soql: str, resolver: Resolver, today: date):
        self.soql = soql
        self.resolver = resolver
        self.today = today
        self.hints: list[EqualityHint] = []

    def compile(self, node: Comparison | Junction | Negation) -> Predicate:
        """The predicate for the whole clause (`node` is the top of the tree)."""
        if isinstance(node, Junction) and node.operator == "AND":
            return _all_of([self._compile(part, top_level=True) for part in node.parts])
        return self._compile(node, top_level=True)

    def _compile(self, node, *, top_level: bool = False) -> Predicate:
        if isinstance(node, Negation):
            inner = self._compile(node.part)
            return lambda record, get_parent: not inner(record, get_parent)
        if isinstance(node, Junction):
            parts = [self._compile(part) for part in node.parts]
            return _all_of(parts) if node.operator == "AND" else _any_of(parts)
        return self._comparison(node, top_level=top_level)

    # -- comparisons --------------------------------------------------------------------

    def _comparison(self, node: Comparison, *, top_level: bool) -> Predicate:
        field = self.resolver.resolve(node.field)
        if not field.info.get("filterable", True):
            detail = f"field '{field.name}' can not be filtered in a query call"
            raise located_error("INVALID_FIELD", self.soql, node.field.position, detail)
        self._check_operator(field, node)
        if node.operator == "LIKE":
            return self._like(field, node.value)
        if node.operator in ("IN", "NOT IN"):
            values = frozenset(self._list_operand(field, token) for token in node.value)
            if top_level and node.operator == "IN":
                self._note_hint(field, values)
            return _membership(field.read, values, negated=node.operator == "NOT IN")
        value = self._operand(field, node.value)
        if top_level and node.operator == "=" and not isinstance(value, DateRange):
            self._note_hint(field, frozenset({value}))
        if isinstance(value, DateRange):
            return _in_range(field.read, node.operator, value)
        return _scalar(field.read, node.operator, value)

    def _check_operator(self, field: ResolvedField, node: Comparison) -> None:
        allowed = node.operator != "LIKE" or field.kind == "text"
        if field.kind == "boolean" and node.operator in ORDERING_OPERATORS:
            allowed = False
        if not allowed:
            detail = f"invalid operator on {field.type_label.lower()} field"
            position = node.field.position
            raise located_error("INVALID_QUERY_FILTER_OPERATOR", self.soql, position, detail)

    def _note_hint(self, field: ResolvedField, values: frozenset) -> None:
        if field.is_local and field.info.get("type") in HINT_TYPES and None not in values:
            self.hints.append(EqualityHint(field.name, values))

    def _like(self, field: ResolvedField, token: Token) -> Predicate:
        if token.kind != "string":
            raise self._wrong_type(field, token)
        pattern = like_pattern(token)
        read = field.read

        def matches(record: dict, get_parent: ParentOf) -> bool:
            value = read(record, get_parent)
            return value is not None and pattern.fullmatch(value) is not None

        return matches

    # -- literals -----------------------------------------------------------------------

    def _operand(self, field: ResolvedField, token: Token) -> Any:
        """The literal `token` converted for comparison with `field`, or a SoqlError."""
        if token.is_keyword("NULL"):
            return None
        if token.kind == "string":
            if token.like_escapes:
                sequence = "\\" + token.value[min(token.like_escapes)]
                raise invalid_string_literal(self.soql, token.position, sequence)
            return self._string_operand(field, token)
        converted = self._unquoted_operand(field, token)
        if converted is None:
            raise self._wrong_type(field, token)
        return converted

    def _list_operand(self, field: ResolvedField, token: Token) -> Any:
        """An IN-list member: relative date literals are not accepted here."""
        if token.kind == "date_n" or (
            token.kind == "name" and not token.is_keyword("TRUE", "FALSE", "NULL")
        ):
            raise located_error(
                "MALFORMED_QUERY", self.soql, token.position, f"unexpected token: '{token.text}'"
            )
        return self._operand(field, token)

    def _string_operand(self, field: ResolvedField, token: Token) -> Any:
        if field.kind not in QUOTED_KINDS:
            raise self._wrong_type(field, token)
        if field.kind == "text":
            return token.value.lower() or None
        record_id = normalize_id(token.value)
        if record_id is None:
            detail = f"invalid ID field: {token.value}"
            raise located_error("INVALID_QUERY_FILTER_OPERATOR", self.soql, token.position, detail)
        return record_id

    def _unquoted_operand(self, field: ResolvedField, token: Token) -> Any:
        """The value of an unquoted literal if it suits the field's type, else None."""
        kind = field.kind
        if kind == "boolean" and token.is_keyword("TRUE", "FALSE"):
            return token.is_keyword("TRUE")
        if kind == "number" and token.kind == "number":
            is_integral = isinstance(token.value, int)
            return token.value if is_integral or field.info.get("type") != "int" else None
        if kind == "date" and token.kind == "date":
            return token.value
        if kind == "datetime" and token.kind == "datetime":
            return token.value
        if kind in ("date", "datetime") and token.kind in ("name", "date_n"):
            days = relative_days(token, self.today)
            if days is None or kind == "date":
                return days
            return DateRange(_midnight_utc(days.start), _midnight_utc(days.end))
        return None

    def _wrong_type(self, field: ResolvedField, token: Token) -> SoqlError:
        quoting = "should be enclosed" if field.kind in QUOTED_KINDS else "should not be enclosed"
        detail = (
            f"value of filter criterion for field '{field.name}' must be of type "
            f"{field.type_label} and {quoting} in quotes"
        )
        return located_error("INVALID_FIELD", self.soql, token.position, detail)


def relative_days(token: Token, today: date) -> DateRange | None:
    """The days a relative date literal covers, as [start, end); None if it is not one."""
    name, _, count = token.text.upper().partition(":")
    day = timedelta(days=1)
    ranges = {
        "TODAY": lambda n: (today, today + day),
        "YESTERDAY": lambda n: (today - day, today),
        "TOMORROW": lambda n: (today + day, today + 2 * day),
        "LAST_N_DAYS": lambda n: (today - n * day, today + day),
        "NEXT_N_DAYS": lambda n: (today + day, today + (n + 1) * day),
        "N_DAYS_AGO": lambda n: (today - n * day, today - (n - 1) * day),
    }
    if name not in ranges:
        return None
    return DateRange(*ranges[name](int(count or 0)))


def like_pattern(token: Token) -> re.Pattern:
    """A regex for a LIKE literal: % any run, _ one character, \\% and \\_ themselves."""
    parts = []
    for index, char in enumerate(token.value):
        if index in token.like_escapes:
            parts.append(re.escape(char))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def _midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _all_of(parts: list[Predicate]) -> Predicate:
    if len(parts) == 2:
        first, second = parts
        return lambda record, get_parent: first(record, get_parent) and second(record, get_parent)
    return lambda record, get_parent: all(part(record, get_parent) for part in parts)


def _any_of(parts: list[Predicate]) -> Predicate:
    if len(parts) == 2:
        first, second = parts
        return lambda record, get_parent: first(record, get_parent) or second(record, get_parent)
    return lambda record, get_parent: any(part(record, get_parent) for part in parts)


def _membership(read, values: frozenset, *, negated: bool) -> Predicate:
    if negated:
        return lambda record, get_parent: read(record, get_parent) not in values
    return lambda record, get_parent: read(record, get_parent) in values


def _scalar(read, operator: str, target: Any) -> Predicate:
    if operator == "=":
        return lambda record, get_parent: read(record, get_parent) == target
    if operator == "!=":
        return lambda record, get_parent: read(record, get_parent) != target
    if target is None:
        return lambda record, get_parent: False
    compare = {
        "<": lambda value: value < target,
        "<=": lambda value: value <= target,
        ">": lambda value: value > target,
        ">=": lambda value: value >= target,
    }[operator]

    def ordered(record: dict, get_parent: ParentOf) -> bool:
        value = read(record, get_parent)
        return value is not None and compare(value)

    return ordered


def _in_range(read, operator: str, days: DateRange) -> Predicate:
    """Comparison with a relative date literal: `=` means within it, `<` before it, etc."""
    start, end = days
    tests = {
        "=": lambda value: start <= value < end,
        "!=": lambda value: not start <= value < end,
        "<": lambda value: value < start,
        "<=": lambda value: value < end,
        ">": lambda value: value >= end,
        ">=": lambda value: value >= start,
    }
    test = tests[operator]
    null_matches = operator == "!="

    def matches(record: dict, get_parent: ParentOf) -> bool:
        value = read(record, get_parent)
        return null_matches if value is None else test(value)

    return matches

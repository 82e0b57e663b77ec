"""Whether a Salesforce record, as read back, meets a survey trigger's conditions.

The operators are the inclusion list's (`RuleOperator`), applied to one record's values in
Python: text compares case-insensitively, booleans as `true`/`false`, numbers by their text
(`3` equals `3.0`). A missing field, null and "" are all unset; an unset value matches only
`is_not_set` (and the negated operators, which are the positive ones turned round). A field
may be a parent path (`Contact.Email`), read through the nested relationship objects a SOQL
row carries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.choices import RuleOperator
from integrations.sync.rules.inclusion import NEGATED, RuleLike

ALL = "all"


def record_value(record: Mapping[str, Any], path: str) -> Any:
    """The value at `path` (`Status`, `Contact.Email`); None where a parent is missing."""
    value: Any = record
    for name in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = _get_case_insensitive(value, name)
    return value


def conditions_met(*, record: Mapping[str, Any], mode: str, conditions: Iterable[RuleLike]) -> bool:
    """All (mode "all") or any of `conditions` hold on `record`; no conditions: all → True,
    any → False, like all() and any() of nothing."""
    results = (condition_met(record=record, condition=condition) for condition in conditions)
    return all(results) if mode == ALL else any(results)


def condition_met(*, record: Mapping[str, Any], condition: RuleLike) -> bool:
    operator = RuleOperator(condition.operator)
    value = record_value(record, condition.field)
    if operator in NEGATED:
        return not _positive(NEGATED[operator], value, condition.value or "")
    return _positive(operator, value, condition.value or "")


def _positive(operator: str, value: Any, expected: str) -> bool:
    text = _text(value)
    if operator == RuleOperator.IS_SET:
        return text != ""
    if text == "":
        return False
    if operator == RuleOperator.IN:
        return any(_same(text, item.strip()) for item in expected.split(",") if item.strip())
    expected = expected.strip().lower()
    if operator == RuleOperator.EQUALS:
        return _same(text, expected)
    if operator == RuleOperator.CONTAINS:
        return expected in text
    if operator == RuleOperator.STARTS_WITH:
        return text.startswith(expected)
    return text.endswith(expected)  # ENDS_WITH: the last operator with a value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip().lower()


def _same(text: str, expected: str) -> bool:
    expected = expected.strip().lower()
    if text == expected:
        return True
    try:
        return Decimal(text) == Decimal(expected)
    except (InvalidOperation, ValueError):
        return False


def _get_case_insensitive(values: Mapping[str, Any], name: str) -> Any:
    if name in values:
        return values[name]
    lowered = name.lower()
    return next((item for key, item in values.items() if key.lower() == lowered), None)

"""Pure decisions of the response mapping: where a value comes from, and whether conditions
hold.

A value comes from the response's answers (by question key), the invitation's embedded data
(a flat key such as `Case.Id`, or that dotted path into nested objects), a constant, the
response's own id, or the recipient's address. Text compares case-insensitively; a missing
key, None, "" and an empty list are all unset. A multiple-choice answer (a list) equals or
is one of a value when one of its choices does, and contains a text when one of them does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from integrations.choices import RuleOperator
from integrations.models.response_mappings import ConditionSource, ValueSource
from integrations.models.triggers import ConditionMode

RESPONSE_ID_PREFIX = "crmbridge-response-"


class ResponseData(Protocol):
    """What a value may come from: a response with its invitation."""

    pk: int
    answers: dict

    @property
    def invitation(self) -> Any: ...


def response_external_id(response: ResponseData) -> str:
    """The response's stable id in Salesforce (e.g. for `Response_Id__c`)."""
    return f"{RESPONSE_ID_PREFIX}{response.pk}"


def embedded_value(data: Mapping[str, Any], key: str) -> Any:
    """`key` of the embedded data: the flat key if present, else its dotted path."""
    if key in data:
        return data[key]
    current: Any = data
    for part in key.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


def source_value(source: str, value: str, *, response: ResponseData) -> Any:
    """The value `source` (a ValueSource or ConditionSource) with its key or constant gives."""
    if source == ValueSource.ANSWER:
        return response.answers.get(value)
    if source == ValueSource.EMBEDDED:
        return embedded_value(response.invitation.embedded_data or {}, value)
    if source == ValueSource.CONSTANT:
        return value
    if source == ValueSource.RESPONSE_ID:
        return response_external_id(response)
    if source == ValueSource.RECIPIENT_EMAIL:
        return response.invitation.email
    raise ValueError(f"Unknown value source {source!r}")


def salesforce_value(value: Any) -> Any:
    """An answer as Salesforce takes it: a multiple choice as a multi-select (`a;b`)."""
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    return value


class ConditionLike(Protocol):
    source: str
    key: str
    operator: str
    value: str


def is_unset(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def condition_holds(condition: ConditionLike, *, response: ResponseData) -> bool:
    source = ConditionSource(condition.source)
    actual = source_value(source, condition.key, response=response)
    return operator_holds(condition.operator, actual, condition.value)


def operator_holds(operator: str, actual: Any, expected: str) -> bool:
    if operator == RuleOperator.IS_SET:
        return not is_unset(actual)
    if operator == RuleOperator.IS_NOT_SET:
        return is_unset(actual)
    texts = _texts(actual)
    wanted = (expected or "").strip().lower()
    if operator == RuleOperator.EQUALS:
        return wanted in texts
    if operator == RuleOperator.NOT_EQUALS:
        return wanted not in texts
    if operator == RuleOperator.CONTAINS:
        return any(wanted in text for text in texts)
    if operator == RuleOperator.NOT_CONTAINS:
        return not any(wanted in text for text in texts)
    if operator == RuleOperator.STARTS_WITH:
        return any(text.startswith(wanted) for text in texts)
    if operator == RuleOperator.ENDS_WITH:
        return any(text.endswith(wanted) for text in texts)
    if operator == RuleOperator.IN:
        options = {item.strip().lower() for item in (expected or "").split(",") if item.strip()}
        return bool(options & set(texts))
    raise ValueError(f"Unknown operator {operator!r}")


def groups_hold(groups: Iterable[tuple[str, list[ConditionLike]]], *, response) -> bool:
    """Whether every (mode, conditions) group holds; no groups: always. A group holds when
    all (mode "all") or any (mode "any") of its conditions do; an empty group always holds."""
    for mode, conditions in groups:
        if not conditions:
            continue
        results = (condition_holds(condition, response=response) for condition in conditions)
        if not (all(results) if mode == ConditionMode.ALL else any(results)):
            return False
    return True


def _texts(value: Any) -> list[str]:
    """The value as lower-case texts: one per choice of a list, none when unset."""
    if is_unset(value):
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [_text(item).strip().lower() for item in items]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

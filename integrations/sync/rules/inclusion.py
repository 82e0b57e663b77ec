"""The inclusion list: which local contacts may go to Salesforce.

The rules become one database filter (`inclusion_q`), used by the outbound sync and by the
console's preview alike. Text compares case-insensitively; a missing property, null and ""
are all unset. A rule's field is a contact field or `properties.<key>`; the key is parsed by
`rules.fields.property_key` (as for mappings: no `__`, so never a nested key) and every
condition names its lookup, so a key called like one (`in`, `isnull`) is still a key.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import and_, or_
from typing import NamedTuple, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Q

from integrations.choices import InclusionMode, RuleOperator
from integrations.sync.rules.fields import PROPERTY_PREFIX, property_key
from tracking.choices import LifecycleStage, Origin, SalesforceObject

RULE_FIELDS = (
    "email", "first_name", "last_name", "company", "title", "phone", "state", "country",
    "lifecycle_stage", "origin", "salesforce_object",
)  # fmt: skip
VALUELESS_OPERATORS = frozenset({RuleOperator.IS_SET, RuleOperator.IS_NOT_SET})
NEGATED = {
    RuleOperator.NOT_EQUALS: RuleOperator.EQUALS,
    RuleOperator.NOT_CONTAINS: RuleOperator.CONTAINS,
    RuleOperator.IS_NOT_SET: RuleOperator.IS_SET,
}
LOOKUPS = {
    RuleOperator.EQUALS: "iexact",
    RuleOperator.CONTAINS: "icontains",
    RuleOperator.STARTS_WITH: "istartswith",
    RuleOperator.ENDS_WITH: "iendswith",
}
FIELD_CHOICES = {
    "lifecycle_stage": LifecycleStage.values,
    "origin": Origin.values,
    "salesforce_object": SalesforceObject.values,
}
# value (lowercase) → label of the fields with choices, for `rule_words`
FIELD_LABELS = {
    field: {choice.value.lower(): choice.label for choice in choices}
    for field, choices in (
        ("lifecycle_stage", LifecycleStage), ("origin", Origin),
        ("salesforce_object", SalesforceObject),
    )
}  # fmt: skip


class RuleLike(Protocol):
    field: str
    operator: str
    value: str


class Rule(NamedTuple):
    """A rule that is not (yet) a saved InclusionRule, e.g. from an unsaved form."""

    field: str
    operator: str
    value: str = ""


def validate_rule(field: str, operator: str, value: str) -> None:
    """Raise ValidationError (keyed by "field", "operator", "value") when the rule is wrong."""
    errors: dict[str, str] = {}
    if not _known_field(field):
        errors["field"] = (
            f"Unknown field “{field}”. Use one of {', '.join(RULE_FIELDS)}, or properties.<key> "
            "(letters and digits, starting with a letter, single underscores between them)."
        )
    if operator not in RuleOperator.values:
        errors["operator"] = f"Unknown operator “{operator}”."
    elif operator not in VALUELESS_OPERATORS:
        error = _value_error(field, operator, value or "")
        if error:
            errors["value"] = error
    if errors:
        raise ValidationError(errors)


def inclusion_q(*, mode: str, rules: Iterable[RuleLike]) -> Q:
    """A filter on tracking.Contact selecting the contacts the inclusion list lets through.

    Raises ValidationError for a rule that cannot be applied (one stored before its field
    was checked), naming the rule, instead of a filter the database cannot run.
    """
    if mode == InclusionMode.NONE:
        return Q()
    rules = list(rules)
    for rule in rules:
        validate_rule(rule.field, rule.operator, rule.value)
    conditions = [_rule_q(rule) for rule in rules]
    if not conditions:
        # Like all() and any() of nothing: "all" lets everyone through, "any" nobody.
        return Q() if mode == InclusionMode.ALL else Q(pk__in=[])
    return reduce(and_ if mode == InclusionMode.ALL else or_, conditions)


def _known_field(field: str) -> bool:
    if field.startswith(PROPERTY_PREFIX):
        try:
            return property_key(field) is not None
        except ValueError:
            return False
    return field in RULE_FIELDS


def _values(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _value_error(field: str, operator: str, value: str) -> str | None:
    if not (_values(value) if operator == RuleOperator.IN else value.strip()):
        return "Enter a value for this operator."
    allowed = FIELD_CHOICES.get(field)
    if allowed is None or operator not in (RuleOperator.EQUALS, RuleOperator.NOT_EQUALS,
                                           RuleOperator.IN):  # fmt: skip
        return None
    given = _values(value) if operator == RuleOperator.IN else [value.strip()]
    unknown = [item for item in given if item.lower() not in {choice.lower() for choice in allowed}]
    if unknown:
        return f"{field} is one of {', '.join(allowed)}; not {', '.join(unknown)}."
    return None


def _rule_q(rule: RuleLike) -> Q:
    operator = RuleOperator(rule.operator)
    if operator in NEGATED:
        return ~_positive_q(rule.field, NEGATED[operator], rule.value)
    return _positive_q(rule.field, operator, rule.value)


def _positive_q(field: str, operator: str, value: str) -> Q:
    if operator == RuleOperator.IS_SET:
        return ~_unset_q(field)
    if operator == RuleOperator.IN:
        values = _values(value or "")
        if not values:
            return Q(pk__in=[])
        return reduce(or_, (_positive_q(field, RuleOperator.EQUALS, item) for item in values))
    condition = _lookup(field, LOOKUPS[operator], value or "")
    if field.startswith(PROPERTY_PREFIX) and operator == RuleOperator.EQUALS:
        if (value or "").strip().lower() in ("true", "false"):
            # Booleans are stored as JSON true/false, which not every database reads as text.
            condition |= _lookup(field, "exact", value.strip().lower() == "true")
    # An unset value never matches; a missing key would read as SQL NULL, and ruling it out
    # here keeps the negated operators two-valued.
    return condition & ~_unset_q(field)


def _unset_q(field: str) -> Q:
    if field.startswith(PROPERTY_PREFIX):
        return (
            _lookup(field, "isnull", True)
            | _lookup(field, "exact", None)
            | _lookup(field, "exact", "")
        )
    return Q(**{field: ""})


def _lookup(field: str, lookup: str, value) -> Q:
    """`field <lookup> value`, the lookup always named (a bare path ending in a property key
    such as `isnull` would be read as that lookup)."""
    key = property_key(field)
    path = field if key is None else f"properties__{key}"
    return Q(**{f"{path}__{lookup}": value})


def rule_words(rule: RuleLike) -> str:
    """A rule as people read it, e.g. “country is US”, “lifecycle stage is Customer”."""
    field = rule.field if rule.field.startswith(PROPERTY_PREFIX) else rule.field.replace("_", " ")
    operator = RuleOperator(rule.operator)
    words = operator.label.removesuffix(" (comma-separated)")
    if operator in VALUELESS_OPERATORS:
        return f"{field} {words}"
    values = _values(rule.value or "") if operator == RuleOperator.IN else [rule.value.strip()]
    choices = FIELD_LABELS.get(rule.field, {})
    return f"{field} {words} {', '.join(choices.get(value.lower(), value) for value in values)}"

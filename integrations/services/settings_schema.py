"""The keys of a settings document and how each value is checked.

Derived from `SECTIONS` (which settings there are) and the model fields (what each holds):
a boolean field takes true / false, a field with choices one of its values, an integer field
a whole number within its validators' bounds, a text field a string up to its max_length;
a nullable field also takes null.
A field whose type says too little (JSON, a Salesforce id) names its check in `SHAPE_CHECKS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from integrations.models import SyncSettings
from integrations.models.sync_settings import SETTING_NAMES
from integrations.sync.activities.attributes import ACTIVITY_ATTRIBUTES
from tracking.choices import ActivityKind

SETTINGS_KEYS = SETTING_NAMES
# Matched whole (`fullmatch`): `$` would let a trailing newline through.
API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,79}")
UNITS = ("seconds", "minutes", "hours", "days")
USER_ID = re.compile(r"005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?")

Check = Callable[[Any], str | None]


def setting_error(key: str, value: Any) -> str | None:
    """Why `value` cannot be the setting `key`, or None."""
    return CHECKS[key](value)


def activity_field_map_error(value: Any) -> str | None:
    """Why an activity field map is malformed, or None (shared with the console's form).

    Its shape: per kind (visits, links, rooms), attribute → Task field API name."""
    example = '{"visits": {"duration_seconds": "Duration__c"}}'
    if not isinstance(value, dict):
        return f"Use an object of kind → {{attribute → Task field}}, e.g. {example}."
    for kind, fields in value.items():
        if kind not in ACTIVITY_ATTRIBUTES:
            return f"“{kind}” is not a kind: use {', '.join(ACTIVITY_ATTRIBUTES)}."
        if not isinstance(fields, dict):
            return f"Map the {kind} attributes with an object, e.g. {example}."
        seen: dict[str, str] = {}  # one Task field holds one attribute of a kind
        for attribute, field in fields.items():
            if attribute not in ACTIVITY_ATTRIBUTES[kind]:
                allowed = ", ".join(ACTIVITY_ATTRIBUTES[kind])
                return f"“{attribute}” is not a {kind} attribute: use {allowed}."
            if not isinstance(field, str) or not API_NAME.fullmatch(field):
                return f"“{field}” is not a Salesforce field API name."
            if field.lower() in seen:
                first = seen[field.lower()]
                return f"{kind}.{first} and {kind}.{attribute} both map to {field}: map it once."
            seen[field.lower()] = attribute
    return None


def write_back_items_error(value: Any) -> str | None:
    """Why a list of kinds to write back is malformed, or None."""
    allowed = list(ActivityKind.values)
    if not isinstance(value, list) or not all(item in allowed for item in value):
        return f"Use a list of any of: {', '.join(allowed)}."
    if len(set(value)) != len(value):
        return "Name each kind once."
    return None


def user_id_error(value: Any) -> str | None:
    """Why a value is not a Salesforce User id or empty, or None."""
    if value == "" or (isinstance(value, str) and USER_ID.fullmatch(value)):
        return None
    return "Use the id of an active Salesforce user (005…, 15 or 18 characters), or “”."


SHAPE_CHECKS: dict[str, Check] = {
    "activity_field_map": activity_field_map_error,
    "write_back_items": write_back_items_error,
    "fallback_owner_id": user_id_error,
}


def _boolean_error(value: Any) -> str | None:
    return None if isinstance(value, bool) else "Use true or false."


def _choice_error(value: Any, *, allowed: list) -> str | None:
    return None if value in allowed else f"Use one of: {', '.join(map(str, allowed))}."


def _whole_number_error(value: Any, *, low: int, high: int, unit: str) -> str | None:
    valid = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    return None if valid else f"Use a whole number{unit} from {low} to {high}."


def _text_error(value: Any, *, max_length: int | None) -> str | None:
    if isinstance(value, str) and (max_length is None or len(value) <= max_length):
        return None
    return f"Use a string of at most {max_length} characters." if max_length else "Use a string."


def _check_for(field: models.Field) -> Check:
    check = _value_check_for(field)
    if field.null:  # e.g. a limit left empty: none
        return lambda value: None if value is None else check(value)
    return check


def _value_check_for(field: models.Field) -> Check:
    if field.name in SHAPE_CHECKS:
        return SHAPE_CHECKS[field.name]
    if isinstance(field, models.BooleanField):
        return _boolean_error
    if field.choices:
        return partial(_choice_error, allowed=[value for value, _ in field.choices])
    if isinstance(field, models.IntegerField):
        # field.validators adds the database column's range to the field's own bounds.
        lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
        highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
        suffix = field.name.rsplit("_", 1)[-1]
        unit = f" of {suffix}" if suffix in UNITS else ""
        return partial(_whole_number_error, low=max(lows), high=min(highs), unit=unit)
    if isinstance(field, models.CharField | models.TextField):
        return partial(_text_error, max_length=field.max_length)
    raise ImproperlyConfigured(
        f"SyncSettings.{field.name} is a {type(field).__name__}: add its check to SHAPE_CHECKS."
    )


CHECKS: dict[str, Check] = {
    name: _check_for(SyncSettings._meta.get_field(name)) for name in SETTINGS_KEYS
}

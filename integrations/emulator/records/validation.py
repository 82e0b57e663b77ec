"""Field-level validation of a write, with Salesforce's error codes and messages.

`prepare_changes` turns the fields a client sent (JSON values, CSV text or Python values) into
canonical names and Python values, checking in Salesforce's order: unknown fields, field
permissions, value types, then each value (length, e-mail, restricted picklists, id format).
Checks that need other records (references, uniqueness, converted leads) live in the store.
"""

import re
from datetime import date, datetime

from ..errors import ApiError
from .ids import normalize_id
from .notes import decode_base64
from .schema import ID_TYPES, NUMBER_TYPES, TEXT_TYPES, Field, Schema, SObjectType
from .values import parse_date, parse_datetime

_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_SOAP_NAMES = {"int": "int", "boolean": "boolean", "date": "date", "datetime": "datetime"}


class FieldTypeError(ApiError):
    """A value of the wrong type: INVALID_TYPE_ON_FIELD_IN_RECORD inside collections and bulk,
    JSON_PARSER_ERROR (the whole request) on the single-record endpoints."""

    def __init__(self, field: Field, value):
        super().__init__(
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            f"{field.label}: value not of required type: {value}",
            fields=[field.name],
        )
        self.field = field
        self.value = value

    def as_json_parser_error(self) -> ApiError:
        type_name = _SOAP_NAMES.get(self.field.type, "double")
        if self.field.type in TEXT_TYPES | ID_TYPES:
            type_name = "String"
        return ApiError(
            "JSON_PARSER_ERROR",
            f"Cannot deserialize instance of {type_name} from VALUE_STRING value {self.value} "
            "or request may be missing a required field",
        )


def prepare_changes(
    sobject: SObjectType, raw: dict, *, schema: Schema, creating: bool, system: bool = False
) -> dict:
    """Canonical field name -> Python value for a write, or raise the first ApiError.

    `system` writes (lead conversion, seeding) may set read-only fields."""
    fields = [_known_field(sobject, name, creating) for name in raw]
    if not system:
        _check_permissions(fields, creating)
    changes = {}
    for spec, value in zip(fields, raw.values(), strict=True):
        changes[spec.name] = checked_value(spec, coerce(spec, value), schema)
    return changes


def _known_field(sobject: SObjectType, name: str, creating: bool) -> Field:
    spec = sobject.field(name) if isinstance(name, str) else None
    if spec is None:
        raise ApiError(
            "INVALID_FIELD",
            f"No such column '{name}' on sobject of type {sobject.name}",
            fields=[str(name)],
        )
    if creating and spec.name == "Id":
        raise ApiError("INVALID_FIELD", "cannot specify Id in an insert call", fields=["Id"])
    return spec


def _check_permissions(fields: list[Field], creating: bool) -> None:
    denied = [
        spec.name for spec in fields if not (spec.createable if creating else spec.updateable)
    ]
    if denied:
        raise ApiError(
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            f"Unable to create/update fields: {', '.join(denied)}. Please check the security "
            "settings of this field and verify that it is read/write for your profile or "
            "permission set.",
            fields=denied,
        )


def coerce(spec: Field, value):
    """The Python value of `value` for the field's type, or raise FieldTypeError."""
    if value is None or value == "":
        return False if spec.type == "boolean" else None
    converter = _CONVERTERS.get(spec.type, _to_text)
    converted = converter(value)
    if converted is None:
        raise FieldTypeError(spec, value)
    return converted


def _to_text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _to_base64(value):
    return value if isinstance(value, str) and decode_base64(value) is not None else None


def _to_boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _to_int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+(?:\.0*)?", value.strip()):
        return int(float(value))
    return None


def _to_float(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)", value.strip()):
        return float(value)
    return None


def _to_date(value):
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    return parse_date(value)


def _to_datetime(value):
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    return parse_datetime(value)


_CONVERTERS = {
    "base64": _to_base64,
    "boolean": _to_boolean,
    "int": _to_int,
    "double": _to_float,
    "currency": _to_float,
    "percent": _to_float,
    "date": _to_date,
    "datetime": _to_datetime,
}


def checked_value(spec: Field, value, schema: Schema):
    """The value after checking length, e-mail, restricted picklist, id shape and numeric
    range; ids come back in their 18-character form."""
    if value is None:
        return None
    if spec.type in TEXT_TYPES and len(value) > spec.length:
        raise ApiError(
            "STRING_TOO_LONG",
            f"{spec.label}: data value too large: {value} (max length={spec.length})",
            fields=[spec.name],
        )
    if spec.type == "email" and not _EMAIL.fullmatch(value):
        raise ApiError(
            "INVALID_EMAIL_ADDRESS", f"{spec.label}: invalid email address: {value}",
            fields=[spec.name],
        )  # fmt: skip
    if spec.restricted_picklist and value not in spec.picklist_by_value:
        raise ApiError(
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            f"{spec.label}: bad value for restricted picklist field: {value}",
            fields=[spec.name],
        )
    if (
        spec.type in NUMBER_TYPES
        and spec.precision
        and abs(value) >= 10 ** (spec.precision - spec.scale)
    ):
        raise ApiError(
            "NUMBER_OUTSIDE_VALID_RANGE",
            f"{spec.label}: value outside of valid range on numeric field: {value}",
            fields=[spec.name],
        )
    if spec.type == "reference":
        return _reference_id(spec, value, schema)
    return value


def _reference_id(spec: Field, value: str, schema: Schema) -> str:
    record_id = normalize_id(value)
    if record_id is None:
        raise ApiError(
            "MALFORMED_ID", f"{spec.label}: id value of incorrect type: {value}",
            fields=[spec.name],
        )  # fmt: skip
    target = schema.for_id(record_id)
    if target is None or not target.answers_to(spec.reference_to):
        raise ApiError(
            "FIELD_INTEGRITY_EXCEPTION", f"{spec.label}: id value of incorrect type: {value}",
            fields=[spec.name],
        )  # fmt: skip
    return record_id


def check_required(sobject: SObjectType, record: dict) -> None:
    """REQUIRED_FIELD_MISSING for every required field without a value, in one error."""
    missing = [
        name for name, spec in sobject.fields.items() if spec.required and record.get(name) is None
    ]
    if missing:
        raise ApiError(
            "REQUIRED_FIELD_MISSING",
            f"Required fields are missing: [{', '.join(missing)}]",
            fields=missing,
        )

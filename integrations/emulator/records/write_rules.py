"""What every write must satisfy beyond its own fields: the record as a whole.

After field-level validation (`validation.py`) the merged record gets its state/country
values resolved and its derived fields computed, then is checked for required fields, for
references to records that exist, are not deleted and are not converted leads, for the
per-object rules (`object_rules.py`: active owners, lead tasks, notes) and for unique values.
"""

from ..errors import ApiError
from . import geo
from .derived import apply_derived_fields
from .object_rules import check_object_rules
from .schema import SObjectType
from .validation import check_required


def complete_record(store, sobject: SObjectType, changes: dict, current: dict) -> dict:
    """The record after applying `changes`, with derived fields, checked against others."""
    record = {**current, **changes}
    if store.state_country_picklists:
        for prefix, state_label in _address_prefixes(sobject):
            record.update(
                geo.resolve_address(changes, current, prefix=prefix, state_label=state_label)
            )
    apply_derived_fields(sobject, record, changes)
    check_required(sobject, record)
    _check_references(store, sobject, changes)
    check_object_rules(store, sobject, record, changes)
    _check_unique(store, sobject, record)
    return record


def _check_references(store, sobject: SObjectType, changes: dict) -> None:
    for name, value in changes.items():
        if value is None or sobject.fields[name].type != "reference":
            continue
        target = store.record(value)
        if target is None:
            raise ApiError(
                "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", fields=[name]
            )
        if target.get("IsDeleted"):
            raise ApiError("ENTITY_IS_DELETED", "entity is deleted", fields=[name])
        if target.get("IsConverted") and not name.startswith("Converted"):
            raise ApiError(
                "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", fields=[name]
            )


def _check_unique(store, sobject: SObjectType, record: dict) -> None:
    for name in sobject.unique_fields:
        if record.get(name) is None:
            continue
        for other in store.find_live(sobject, name, record[name]):
            if other["Id"] != record.get("Id"):
                raise ApiError(
                    "DUPLICATE_VALUE",
                    f"duplicate value found: {name} duplicates value on record with id: "
                    f"{other['Id']}",
                )


def _address_prefixes(sobject: SObjectType) -> list[tuple[str, str]]:
    """(prefix, state label) of each address with a country code picklist."""
    return [
        (name[: -len("CountryCode")], sobject.fields[name[: -len("CountryCode")] + "State"].label)
        for name in sobject.fields
        if name.endswith("CountryCode")
    ]


def without_key_field(fields: dict, key_field: str, value: str) -> dict:
    """The upsert body without the key field, which must agree with the URL if present."""
    remaining = {}
    for name, field_value in fields.items():
        if isinstance(name, str) and name.lower() == key_field.lower():
            if str(field_value).lower() != str(value).lower():
                raise ApiError(
                    "INVALID_FIELD",
                    f"The value of {key_field} in the request body doesn't match the URL",
                    fields=[key_field],
                )
            continue
        remaining[name] = field_value
    return remaining


def read_only_object(sobject: SObjectType) -> ApiError:
    return ApiError(
        "INSUFFICIENT_ACCESS_OR_READONLY",
        f"insufficient access rights on object id: entity type {sobject.name} is read-only",
    )

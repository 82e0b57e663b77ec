"""State and country picklists (an org setting), built from ISO 3166 data.

With the setting on, every address has a `...CountryCode` picklist of ISO 3166-1 alpha-2 codes
and a `...StateCode` picklist that depends on it (states configured for a few countries, as in
a default Salesforce org). The free-text `...Country` / `...State` fields then only accept the
names of those entries; anything else is Salesforce's FIELD_INTEGRITY_EXCEPTION.
"""

import base64
from functools import cache

import pycountry

from ..errors import ApiError
from .schema import PicklistValue

COUNTRIES_WITH_STATES = ("AU", "CA", "DE", "US")

COUNTRY_MESSAGE = (
    "There's a problem with this country, even though it may appear correct. "
    "Please select a country/territory from the list of valid countries."
)
STATE_MESSAGE = (
    "There's a problem with this state, even though it may appear correct. "
    "Please select a state from the list of valid states."
)


@cache
def countries() -> dict[str, str]:
    """ISO code -> name, ordered by name (the picklist's order)."""
    entries = sorted(pycountry.countries, key=lambda country: country.name)
    return {country.alpha_2: country.name for country in entries}


@cache
def states() -> dict[str, dict[str, str]]:
    """Country code -> {state code -> state name} for the countries with states configured."""
    result = {}
    for country_code in COUNTRIES_WITH_STATES:
        subdivisions = pycountry.subdivisions.get(country_code=country_code)
        top_level = sorted((s for s in subdivisions if s.parent_code is None), key=lambda s: s.name)
        result[country_code] = {s.code.split("-", 1)[1]: s.name for s in top_level}
    return result


@cache
def _country_codes_by_name() -> dict[str, str]:
    names = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None)):
            if name:
                names[name.lower()] = country.alpha_2
    return names


@cache
def country_picklist() -> tuple[PicklistValue, ...]:
    return tuple(PicklistValue(code, name) for code, name in countries().items())


@cache
def state_picklist() -> tuple[PicklistValue, ...]:
    country_index = {code: position for position, code in enumerate(countries())}
    entries = []
    for country_code, country_states in states().items():
        valid_for = _valid_for_bitmap(country_index[country_code], len(country_index))
        entries += [
            PicklistValue(code, name, valid_for=valid_for) for code, name in country_states.items()
        ]
    return tuple(entries)


def _valid_for_bitmap(index: int, size: int) -> str:
    """Describe's `validFor`: a bitmap with the bit of the controlling value's index set."""
    bitmap = bytearray((size + 7) // 8)
    bitmap[index // 8] |= 0x80 >> (index % 8)
    return base64.b64encode(bytes(bitmap)).decode()


def resolve_address(changes: dict, current: dict, *, prefix: str, state_label: str) -> dict:
    """Make one address's country/state text and code fields agree, or raise.

    `changes` holds the fields being written and `current` the record as it is (empty on
    insert), both with canonical names. Returns the fields to set in addition, e.g.
    `BillingCountry` when only `BillingCountryCode` was written."""
    country_code, updates = _resolve_country(changes, current, prefix)
    country_changed = bool(updates)
    updates.update(
        _resolve_state(changes, current, prefix, country_code, country_changed, state_label)
    )
    return updates


def _resolve_country(changes: dict, current: dict, prefix: str) -> tuple[str | None, dict]:
    name_field, code_field = f"{prefix}Country", f"{prefix}CountryCode"
    code, name = changes.get(code_field), changes.get(name_field)
    if code is not None:
        if code not in countries() or (name is not None and _country_code(name) != code):
            raise ApiError("FIELD_INTEGRITY_EXCEPTION", COUNTRY_MESSAGE, fields=[code_field])
    elif name is not None:
        code = _country_code(name)
        if code is None:
            raise ApiError("FIELD_INTEGRITY_EXCEPTION", COUNTRY_MESSAGE, fields=[name_field])
    elif code_field in changes or name_field in changes:
        return None, {name_field: None, code_field: None}
    else:
        return current.get(code_field), {}
    return code, {name_field: countries()[code], code_field: code}


def _country_code(name: str) -> str | None:
    return _country_codes_by_name().get(name.lower())


def _resolve_state(changes, current, prefix, country_code, country_changed, state_label) -> dict:
    name_field, code_field = f"{prefix}State", f"{prefix}StateCode"
    if code_field in changes or name_field in changes:
        code, name = changes.get(code_field), changes.get(name_field)
    elif country_changed:
        code, name = current.get(code_field), current.get(name_field)
    else:
        return {}
    if code is None and name is None:
        return {name_field: None, code_field: None}
    if country_code is None:
        raise ApiError(
            "FIELD_INTEGRITY_EXCEPTION",
            "A country/territory must be specified before specifying a state value for field: "
            + state_label,
            fields=[code_field if code is not None else name_field],
        )
    country_states = states().get(country_code, {})
    written_field = code_field
    if code is None:
        code = {label.lower(): c for c, label in country_states.items()}.get(name.lower())
        written_field = name_field
    if code not in country_states:
        raise ApiError("FIELD_INTEGRITY_EXCEPTION", STATE_MESSAGE, fields=[written_field])
    return {name_field: country_states[code], code_field: code}

"""The value checks, and that the OpenAPI patterns say exactly what the checks accept."""

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracking.validators import (
    InvalidValue,
    check_email,
    check_json,
    check_text,
    check_web_address,
    is_blank,
    text_pattern,
    web_address_pattern,
)

# Any text JSON can carry that a pattern can speak of (lone surrogates aside: see text_pattern).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


def _accepts(check, value) -> bool:
    try:
        check(value)
    except InvalidValue:
        return False
    return True


@settings(max_examples=300)
@given(TEXT)
def test_text_patterns_match_exactly_what_the_checks_accept(value):
    storable = _accepts(check_text, value)
    assert bool(re.fullmatch(text_pattern(required=False), value)) == storable
    required = storable and not is_blank(value)
    assert bool(re.fullmatch(text_pattern(required=True), value)) == required


@settings(max_examples=300)
@given(st.one_of(TEXT, st.from_regex(web_address_pattern(), fullmatch=True)))
def test_web_address_pattern_matches_exactly_what_the_check_accepts(value):
    assert bool(re.fullmatch(web_address_pattern(), value)) == _accepts(check_web_address, value)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(), max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(st.characters(), max_size=3), children, max_size=3)
    ),
    max_leaves=8,
)


def _storable(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return _accepts(check_text, value)
    if isinstance(value, list):
        return all(map(_storable, value))
    if isinstance(value, dict):
        return all(_storable(key) and _storable(item) for key, item in value.items())
    return True


@settings(max_examples=300)
@given(JSON)
def test_check_json_refuses_exactly_what_no_database_stores(value):
    assert _accepts(check_json, value) == _storable(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("a" * 65 + "@example.com", "at most 64 characters before @"),
        (" ada@example.com", "spaces"),
        ("ada@example", "host name with a dot"),
        ("ada@1example.123", "host name with a dot"),
    ],
)
def test_check_email_reasons(value, reason):
    with pytest.raises(InvalidValue, match=reason):
        check_email(value)

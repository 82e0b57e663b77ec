"""SOQL string literals: escapes, injection attempts and literal limits."""

from __future__ import annotations

import pytest
from simple_salesforce.format import format_soql

from .conftest import contact, error_of, ids, run


@pytest.mark.parametrize(
    "hostile",
    [
        "O'Brien",
        "back\\slash",
        "x' OR Name LIKE '%",
        "x') OR (Email != null",
        'quote" and\nnew line\ttab',
        "trailing backslash \\",
    ],
)
def test_escaped_hostile_values_stay_values(hostile):
    records = [contact(1, LastName=hostile), contact(2, LastName="Smith")]
    soql = format_soql("SELECT Id FROM Contact WHERE LastName = {} AND Email = null", hostile)

    assert ids(run(soql, records)) == ids(records[:1])


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id FROM Contact WHERE LastName = 'O'Brien' AND Email = null",
        "SELECT Id FROM Contact WHERE LastName = 'x' OR Name LIKE '%' AND Email = null",
        "SELECT Id FROM Contact WHERE LastName = 'back\\slash' AND Email = null",
        "SELECT Id FROM Contact WHERE LastName = 'trailing \\' AND Email = null",
    ],
)
def test_unescaped_hostile_values_are_malformed(soql):
    assert error_of(soql).error_code == "MALFORMED_QUERY"


def test_unescaped_quote_is_reported_at_the_stray_word():
    error = error_of("SELECT Id FROM Contact WHERE LastName = 'O'Brien'")

    assert str(error).endswith("unexpected token: 'Brien'")


def test_invalid_escape_uses_salesforces_message():
    error = error_of("SELECT Id FROM Contact WHERE LastName = 'a\\qb'")

    assert error.error_code == "MALFORMED_QUERY"
    assert str(error).endswith(
        "Invalid string literal 'a\\qb'. Illegal character sequence '\\q' in string literal."
    )


def test_escape_sequences_decode_to_their_characters():
    records = [contact(1, LastName="é\n\r\t\b\f\"'\\"), contact(2, LastName="e")]
    soql = "SELECT Id FROM Contact WHERE LastName = '\\u00e9\\n\\R\\t\\b\\F\\\"\\'\\\\'"

    assert ids(run(soql, records)) == ids(records[:1])


def test_percent_escape_outside_like_is_malformed():
    assert error_of("SELECT Id FROM Contact WHERE LastName = '50\\%'").error_code == (
        "MALFORMED_QUERY"
    )


def test_string_literal_over_4000_characters_is_malformed():
    soql = "SELECT Id FROM Contact WHERE LastName = '" + "x" * 4001 + "'"

    assert error_of(soql).error_code == "MALFORMED_QUERY"

"""State and country normalisation to ISO codes (pure; no database)."""

import pytest

from integrations.sync.rules.geo import GeoError, country_code, normalise_address, state_code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("USA", "US"),
        ("US", "US"),
        ("U.S.", "US"),
        ("u.s.a.", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("Vereinigte Staaten", "US"),
        ("Vereinigte Staaten von Amerika", "US"),
        ("Deutschland", "DE"),
        ("germany", "DE"),
        ("Bundesrepublik Deutschland", "DE"),
        ("DE", "DE"),
        ("DEU", "DE"),
        ("GBR", "GB"),
        ("UK", "GB"),
        ("Vereinigtes Königreich", "GB"),
        ("Österreich", "AT"),
        ("the Netherlands", "NL"),
        ("Niederlande", "NL"),
        ("Republic of Korea", "KR"),
        ("  France ", "FR"),
    ],
)
def test_country_names_and_codes_become_alpha_2(value, expected):
    assert country_code(value) == expected


@pytest.mark.parametrize("value", ["", "   ", "Atlantis", "Korea", "XX", "United"])
def test_unknown_or_ambiguous_country_is_none(value):
    assert country_code(value) is None


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("California", "US", "CA"),
        ("CA", "US", "CA"),
        ("ca", "USA", "CA"),
        ("US-CA", "United States", "CA"),
        ("Kalifornien", "Vereinigte Staaten", "CA"),
        ("New York", "US", "NY"),
        ("Bayern", "DE", "BY"),
        ("Bavaria", "Germany", "BY"),
        ("BY", "Deutschland", "BY"),
        ("Baden-Württemberg", "DE", "BW"),
        ("baden wurttemberg", "DE", "BW"),
        ("Québec", "CA", "QC"),
        ("Ontario", "Canada", "ON"),
    ],
)
def test_state_names_and_codes_become_the_code_within_the_country(value, country, expected):
    assert state_code(value, country) == expected


@pytest.mark.parametrize(
    ("value", "country"),
    [("Nowhere", "US"), ("Bavaria", "US"), ("CA", ""), ("CA", "Atlantis"), ("", "US")],
)
def test_unknown_state_or_country_is_none(value, country):
    assert state_code(value, country) is None


def test_country_without_subdivisions_has_no_states():
    assert state_code("Anything", "AQ") is None


def test_normalise_address_returns_both_codes():
    assert normalise_address(state="Kalifornien", country="Vereinigte Staaten") == ("CA", "US")


def test_normalise_address_keeps_blanks_as_none():
    assert normalise_address(state="", country=None) == (None, None)
    assert normalise_address(state=" ", country="Germany") == (None, "DE")


def test_unknown_country_is_a_plain_error():
    with pytest.raises(GeoError, match="“Atlantis” is not a country"):
        normalise_address(state="", country="Atlantis")


def test_state_without_country_is_an_error():
    with pytest.raises(GeoError, match="needs a country"):
        normalise_address(state="Bavaria", country="")


def test_state_outside_its_country_is_an_error():
    with pytest.raises(GeoError, match="“Bavaria” is not a state of United States"):
        normalise_address(state="Bavaria", country="USA")


def test_geo_error_is_a_value_error():
    assert issubclass(GeoError, ValueError)

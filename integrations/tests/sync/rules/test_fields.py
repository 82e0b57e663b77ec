"""Field maps and value handling shared by both directions (pure; no database)."""

from datetime import UTC, datetime

import pytest

from integrations.choices import MappingRule
from integrations.sync.rules.fields import (
    FieldMap,
    as_salesforce,
    countries_first,
    field_map,
    model_fields,
    outbound_value,
    property_key,
    read_local,
    same,
    write_local,
)
from integrations.sync.rules.geo import GeoError
from tracking.models import Contact


def contact(**fields) -> Contact:
    """An unsaved contact: the rules only read and set attributes."""
    return Contact(email=fields.pop("email", "ada@example.com"), **fields)


# -- FieldMap -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "writes", "reads"),
    [
        (MappingRule.TWO_WAY, True, True),
        (MappingRule.PREFER_SALESFORCE, True, True),
        (MappingRule.ALWAYS_SALESFORCE, False, True),
        (MappingRule.TO_SALESFORCE, True, False),
        (MappingRule.OFF, False, False),
    ],
)
def test_each_rule_says_which_directions_it_takes_part_in(rule, writes, reads):
    item = FieldMap(local="title", salesforce="Title", rule=rule)

    assert (item.writes, item.reads) == (writes, reads)


@pytest.mark.parametrize(
    ("salesforce", "expected"),
    [("Email", True), ("Work_Email", True), ("Title", False), ("EmailOptOut", False)],
)
def test_only_email_fields_compare_without_case(salesforce, expected):
    item = FieldMap(local="email", salesforce=salesforce, rule=MappingRule.TWO_WAY)

    assert item.case_insensitive is expected


# -- field_map ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("salesforce_field", "expected_field", "kind"),
    [
        ("State", "StateCode", "state"),
        ("Country", "CountryCode", "country"),
        ("MailingState", "MailingStateCode", "state"),
        ("MailingCountry", "MailingCountryCode", "country"),
        ("BillingState", "BillingStateCode", "state"),
        ("BillingCountry", "BillingCountryCode", "country"),
    ],
)
def test_with_picklists_geo_fields_become_their_code_twins(salesforce_field, expected_field, kind):
    item = field_map(
        local="country", salesforce_field=salesforce_field, rule=MappingRule.TWO_WAY, picklists=True
    )

    assert (item.salesforce, item.geo) == (expected_field, kind)


def test_without_picklists_geo_fields_stay_free_text():
    item = field_map(
        local="country", salesforce_field="Country", rule=MappingRule.TWO_WAY, picklists=False
    )

    assert item == FieldMap(local="country", salesforce="Country", rule=MappingRule.TWO_WAY)


def test_with_picklists_other_fields_are_unchanged():
    item = field_map(
        local="title", salesforce_field="Title", rule=MappingRule.TO_SALESFORCE, picklists=True
    )

    assert item == FieldMap(local="title", salesforce="Title", rule=MappingRule.TO_SALESFORCE)


# -- countries_first ----------------------------------------------------------------------


def test_countries_go_before_states_and_the_rest_keep_their_order():
    # given
    title = FieldMap("title", "Title", MappingRule.TWO_WAY)
    state = FieldMap("state", "StateCode", MappingRule.TWO_WAY, geo="state")
    email = FieldMap("email", "Email", MappingRule.TWO_WAY)
    country = FieldMap("country", "CountryCode", MappingRule.TWO_WAY, geo="country")

    # when
    ordered = countries_first([title, state, email, country])

    # then
    assert ordered == [country, title, state, email]


# -- read_local / write_local -------------------------------------------------------------


def test_read_local_reads_a_model_field():
    assert read_local(contact(title="CTO"), "title") == "CTO"


def test_read_local_reads_one_custom_property():
    record = contact(properties={"plan": "pro", "seats": 5})

    assert read_local(record, "properties.plan") == "pro"
    assert read_local(record, "properties.seats") == 5


@pytest.mark.parametrize("properties", [{}, None, {"other": "x"}])
def test_read_local_missing_property_is_none(properties):
    assert read_local(contact(properties=properties), "properties.plan") is None


def test_write_local_sets_a_model_field():
    record = contact(title="CTO")

    write_local(record, "title", "CEO")

    assert record.title == "CEO"


def test_write_local_blank_into_a_not_null_field_is_empty_string():
    record = contact(title="CTO")

    write_local(record, "title", None)

    assert record.title == ""


def test_write_local_none_into_a_nullable_field_stays_none():
    record = contact(local_modified_at=datetime(2024, 5, 1, tzinfo=UTC))

    write_local(record, "local_modified_at", None)

    assert record.local_modified_at is None


def test_write_local_property_keeps_the_other_keys_and_copies_the_dict():
    # given
    original = {"plan": "free", "seats": 5}
    record = contact(properties=original)

    # when
    write_local(record, "properties.plan", "pro")

    # then
    assert record.properties == {"plan": "pro", "seats": 5}
    assert original == {"plan": "free", "seats": 5}


def test_write_local_property_on_record_without_properties():
    record = contact(properties=None)

    write_local(record, "properties.plan", "pro")

    assert record.properties == {"plan": "pro"}


# -- model_fields -------------------------------------------------------------------------


def test_model_fields_names_properties_once_for_all_property_keys():
    maps = [
        FieldMap("title", "Title", MappingRule.TWO_WAY),
        FieldMap("properties.plan", "Plan__c", MappingRule.TWO_WAY),
        FieldMap("properties.seats", "Seats__c", MappingRule.TWO_WAY),
    ]

    assert model_fields(maps) == {"title", "properties"}


# -- as_salesforce / same -----------------------------------------------------------------


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n"])
def test_blank_values_are_none_in_salesforce(blank):
    assert as_salesforce(blank) is None


@pytest.mark.parametrize("value", ["x", " x ", 0, False, 1.5])
def test_non_blank_values_are_kept_as_they_are(value):
    assert as_salesforce(value) == value
    assert type(as_salesforce(value)) is type(value)


@pytest.mark.parametrize(
    ("left", "right"),
    [("", None), ("  ", None), (None, None), ("CTO", " CTO "), (5, 5), (0, 0)],
)
def test_same_values(left, right):
    assert same(left, right)


@pytest.mark.parametrize(("left", "right"), [("CTO", "CEO"), ("", "x"), (None, "x"), (0, None)])
def test_different_values(left, right):
    assert not same(left, right)


def test_same_is_case_sensitive_unless_told_otherwise():
    assert not same("Ada@X.io", "ada@x.io")
    assert same("Ada@X.io", "ada@x.io", case_insensitive=True)
    assert same(" ADA@x.io", "ada@X.IO ", case_insensitive=True)


# -- outbound_value -----------------------------------------------------------------------

COUNTRY = FieldMap("country", "MailingCountryCode", MappingRule.TWO_WAY, geo="country")
STATE = FieldMap("state", "MailingStateCode", MappingRule.TWO_WAY, geo="state")


def test_outbound_value_without_geo_is_the_local_value():
    item = FieldMap("title", "Title", MappingRule.TWO_WAY)

    assert outbound_value(contact(title="CTO"), item, country=None) == "CTO"


def test_outbound_value_blank_is_none_even_for_geo_fields():
    assert outbound_value(contact(country="  "), COUNTRY, country=None) is None
    assert outbound_value(contact(state=""), STATE, country=None) is None


def test_outbound_value_country_name_becomes_its_code():
    assert outbound_value(contact(country="Deutschland"), COUNTRY, country=None) == "DE"


def test_outbound_value_state_name_becomes_its_code_within_the_country():
    assert outbound_value(contact(state="Bavaria"), STATE, country="DE") == "BY"


def test_outbound_value_unknown_country_is_a_geo_error():
    with pytest.raises(GeoError, match="Atlantis"):
        outbound_value(contact(country="Atlantis"), COUNTRY, country=None)


def test_outbound_value_unknown_state_names_its_country():
    with pytest.raises(GeoError, match="not a state of DE"):
        outbound_value(contact(state="Texas"), STATE, country="DE")


def test_outbound_value_state_without_country_is_a_geo_error():
    with pytest.raises(GeoError, match="an unknown country"):
        outbound_value(contact(state="Bavaria"), STATE, country=None)


@pytest.mark.parametrize("key", ["plan", "plan_tier", "Score2", "a" * 63])
def test_property_key_parses_a_property_field(key):
    assert property_key(f"properties.{key}") == key
    assert property_key("email") is None


@pytest.mark.parametrize("key", ["", "plan__tier", "_plan", "plan_", "2fa", "plan\n", "a" * 64])
def test_property_key_refuses_keys_that_would_not_name_one_key_everywhere(key):
    with pytest.raises(ValueError, match="not a property key"):
        property_key(f"properties.{key}")

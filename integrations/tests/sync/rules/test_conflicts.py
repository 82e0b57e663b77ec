"""decide(): per field, whether Salesforce's value replaces the local one (pure)."""

from datetime import UTC, datetime

import pytest

from integrations.choices import MappingRule
from integrations.sync.rules.conflicts import KEEP, Decision, decide
from integrations.sync.rules.fields import MISSING

EARLIER = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)

APPLY = Decision(apply=True, push=False)
PUSH = Decision(apply=False, push=True)
READING_RULES = [
    MappingRule.TWO_WAY,
    MappingRule.PREFER_SALESFORCE,
    MappingRule.ALWAYS_SALESFORCE,
]


def decision(
    rule,
    *,
    salesforce,
    local,
    last=MISSING,
    local_at=None,
    salesforce_at=None,
    case_insensitive=False,
):
    return decide(
        rule=rule,
        salesforce_value=salesforce,
        local_value=local,
        last=last,
        local_modified_at=local_at,
        salesforce_modified_at=salesforce_at,
        case_insensitive=case_insensitive,
    )


# -- no echo, and values both sides agree on ----------------------------------------------


@pytest.mark.parametrize("rule", READING_RULES)
def test_salesforce_value_equal_to_last_agreed_is_no_change(rule):
    # given: we wrote "CTO" to Salesforce, then changed it here to "CEO"
    # when: Salesforce sends back the "CTO" we wrote
    result = decision(rule, salesforce="CTO", local="CEO", last="CTO", salesforce_at=LATER)

    # then: our newer local value stays, and nothing is pushed again
    assert result == KEEP


def test_no_echo_compares_emails_without_case():
    result = decision(
        MappingRule.ALWAYS_SALESFORCE,
        salesforce="Ada@Example.com",
        local="grace@example.com",
        last="ada@example.com",
        case_insensitive=True,
    )

    assert result == KEEP


def test_no_echo_treats_blank_and_none_as_the_same():
    result = decision(MappingRule.ALWAYS_SALESFORCE, salesforce=None, local="CTO", last="")

    assert result == KEEP


@pytest.mark.parametrize("rule", READING_RULES)
def test_values_both_sides_agree_on_are_kept(rule):
    assert decision(rule, salesforce=" CTO ", local="CTO", local_at=LATER) == KEEP


def test_emails_differing_only_in_case_agree():
    result = decision(
        MappingRule.ALWAYS_SALESFORCE,
        salesforce="ADA@example.com",
        local="ada@Example.com",
        case_insensitive=True,
    )

    assert result == KEEP


def test_other_fields_differing_only_in_case_are_a_change():
    result = decision(MappingRule.ALWAYS_SALESFORCE, salesforce="cto", local="CTO")

    assert result == APPLY


# -- always_salesforce --------------------------------------------------------------------


@pytest.mark.parametrize("salesforce", ["CEO", None])
def test_always_salesforce_applies_even_when_local_is_newer(salesforce):
    result = decision(
        MappingRule.ALWAYS_SALESFORCE,
        salesforce=salesforce,
        local="CTO",
        last="VP",
        local_at=LATER,
        salesforce_at=EARLIER,
    )

    assert result == APPLY


# -- prefer_salesforce --------------------------------------------------------------------


def test_prefer_salesforce_applies_a_non_blank_salesforce_value():
    result = decision(
        MappingRule.PREFER_SALESFORCE,
        salesforce="CEO",
        local="CTO",
        local_at=LATER,
        salesforce_at=EARLIER,
    )

    assert result == APPLY


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_prefer_salesforce_blank_keeps_local_and_pushes_it(blank):
    result = decision(MappingRule.PREFER_SALESFORCE, salesforce=blank, local="CTO", last="VP")

    assert result == PUSH


# -- two_way ------------------------------------------------------------------------------


def test_two_way_local_newer_keeps_local_and_pushes_it():
    result = decision(
        MappingRule.TWO_WAY,
        salesforce="CEO",
        local="CTO",
        last="VP",
        local_at=LATER,
        salesforce_at=EARLIER,
    )

    assert result == PUSH


def test_two_way_salesforce_newer_applies():
    result = decision(
        MappingRule.TWO_WAY,
        salesforce="CEO",
        local="CTO",
        last="VP",
        local_at=EARLIER,
        salesforce_at=LATER,
    )

    assert result == APPLY


def test_two_way_same_moment_salesforce_wins():
    result = decision(
        MappingRule.TWO_WAY, salesforce="CEO", local="CTO", local_at=LATER, salesforce_at=LATER
    )

    assert result == APPLY


def test_two_way_blank_local_takes_salesforce_value_even_when_newer():
    result = decision(
        MappingRule.TWO_WAY,
        salesforce="CEO",
        local="",
        last="VP",
        local_at=LATER,
        salesforce_at=EARLIER,
    )

    assert result == APPLY


def test_two_way_local_unchanged_since_last_agreed_takes_salesforce_value():
    # given: the local value is what both sides last agreed on; the record changed otherwise
    result = decision(
        MappingRule.TWO_WAY,
        salesforce="CEO",
        local="CTO",
        last="CTO",
        local_at=LATER,
        salesforce_at=EARLIER,
    )

    # then: only Salesforce changed this field
    assert result == APPLY


def test_two_way_never_seen_field_with_newer_local_is_pushed():
    result = decision(
        MappingRule.TWO_WAY, salesforce="CEO", local="CTO", local_at=LATER, salesforce_at=EARLIER
    )

    assert result == PUSH


def test_two_way_without_local_change_time_applies():
    result = decision(MappingRule.TWO_WAY, salesforce="CEO", local="CTO", salesforce_at=EARLIER)

    assert result == APPLY


def test_two_way_without_salesforce_change_time_local_counts_as_newer():
    result = decision(MappingRule.TWO_WAY, salesforce="CEO", local="CTO", local_at=EARLIER)

    assert result == PUSH


def test_two_way_local_change_of_email_case_only_is_not_a_local_change():
    result = decision(
        MappingRule.TWO_WAY,
        salesforce="grace@example.com",
        local="ADA@example.com",
        last="ada@example.com",
        local_at=LATER,
        salesforce_at=EARLIER,
        case_insensitive=True,
    )

    assert result == APPLY


# -- rules that never read ----------------------------------------------------------------


@pytest.mark.parametrize("rule", [MappingRule.TO_SALESFORCE, MappingRule.OFF])
def test_rules_that_never_read_keep_local(rule):
    result = decision(rule, salesforce="CEO", local="CTO", local_at=EARLIER, salesforce_at=LATER)

    assert result == KEEP

"""WHERE clauses: literal types against field types, and filtering as SOQL does it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from simple_salesforce.format import format_soql

from .conftest import ACCOUNT_ID, OTHER_ACCOUNT_ID, contact, error_of, ids, run

# -- literal types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            "CreatedDate > '2024-01-01T00:00:00Z'",
            "'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
        ),
        ("CreatedDate > 2024-01-01", "must be of type dateTime"),
        ("Birthdate = 2024-01-01T00:00:00Z", "'Birthdate' must be of type date and"),
        ("DoNotCall = 1", "'DoNotCall' must be of type boolean and should not be enclosed"),
        ("DoNotCall = 'true'", "must be of type boolean"),
        ("LastName = 5", "'LastName' must be of type string and should be enclosed in quotes"),
        ("LastName = true", "must be of type string"),
        ("LastName = TODAY", "must be of type string"),
        ("NumberOfKids__c = '2'", "'NumberOfKids__c' must be of type integer"),
        ("NumberOfKids__c = 2.5", "must be of type integer"),
        ("Score__c = '2.5'", "'Score__c' must be of type double"),
        ("AccountId = 5", "'AccountId' must be of type id and should be enclosed in quotes"),
        ("LastName LIKE 5", "must be of type string"),
    ],
)
def test_literal_of_the_wrong_type_is_invalid_field(condition, message):
    error = error_of(f"SELECT Id FROM Contact WHERE {condition}")

    assert error.error_code == "INVALID_FIELD"
    assert message in str(error)


def test_malformed_id_literal_is_an_invalid_filter_operator():
    error = error_of("SELECT Id FROM Contact WHERE AccountId = '001abc'")

    assert error.error_code == "INVALID_QUERY_FILTER_OPERATOR"
    assert str(error).endswith("invalid ID field: 001abc")


@pytest.mark.parametrize(
    "condition",
    ["Id LIKE '003%'", "AccountId LIKE '001%'", "DoNotCall > false", "Score__c LIKE '1'"],
)
def test_operator_the_field_type_does_not_support_is_rejected(condition):
    error = error_of(f"SELECT Id FROM Contact WHERE {condition}")

    assert error.error_code == "INVALID_QUERY_FILTER_OPERATOR"


def test_unfilterable_and_unsortable_fields_are_rejected():
    filtered = error_of("SELECT Id FROM Contact WHERE Description = 'x'")
    sorted_ = error_of("SELECT Id FROM Contact ORDER BY Description")

    assert filtered.error_code == sorted_.error_code == "INVALID_FIELD"
    assert "field 'Description' can not be filtered in a query call" in str(filtered)
    assert "field 'Description' can not be sorted in a query call" in str(sorted_)


# -- filtering -----------------------------------------------------------------------------


def test_text_equality_and_in_are_case_insensitive():
    records = [contact(1, Email="Ann@X.com"), contact(2, Email="bob@x.com"), contact(3)]

    assert ids(run("SELECT Id FROM Contact WHERE Email = 'ann@x.COM'", records)) == ids(records[:1])
    assert ids(run("SELECT Id FROM Contact WHERE Email IN ('BOB@X.COM', 'z')", records)) == ids(
        records[1:2]
    )


def test_not_equal_and_not_in_match_nulls_as_soql_does():
    records = [contact(1, LeadSource="Web"), contact(2, LeadSource=None), contact(3, LeadSource="")]

    not_web = run("SELECT Id FROM Contact WHERE LeadSource != 'web'", records)
    not_in = run("SELECT Id FROM Contact WHERE LeadSource NOT IN ('Web')", records)

    assert ids(not_web) == ids(not_in) == ids(records[1:])


def test_null_comparisons_treat_empty_text_as_null():
    records = [contact(1, Phone="123"), contact(2, Phone=None), contact(3, Phone="")]

    assert ids(run("SELECT Id FROM Contact WHERE Phone = null", records)) == ids(records[1:])
    assert ids(run("SELECT Id FROM Contact WHERE Phone <> NULL", records)) == ids(records[:1])
    assert ids(run("SELECT Id FROM Contact WHERE Phone = ''", records)) == ids(records[1:])


@pytest.mark.parametrize(
    ("pattern", "matching_names"),
    [
        ("'sm%'", ["Smith", "smythe_x", "SM"]),
        ("'%TH'", ["Smith"]),
        ("'sm_th'", ["Smith"]),
        ("'%\\_%'", ["smythe_x"]),
        ("'100\\%'", ["100%"]),
        ("'100%'", ["100%", "1000"]),
        ("'%'", ["Smith", "smythe_x", "SM", "100%", "1000", "multi\nline"]),
        ("'multi%'", ["multi\nline"]),
    ],
)
def test_like_matches_whole_values_case_insensitively(pattern, matching_names):
    names = ["Smith", "smythe_x", "SM", "100%", "1000", "multi\nline", None]
    records = [contact(serial, LastName=name) for serial, name in enumerate(names, start=1)]

    result = run(f"SELECT Id FROM Contact WHERE LastName LIKE {pattern}", records)

    assert [record["LastName"] for record in result] == matching_names


def test_like_folds_case_beyond_ascii():
    records = [contact(1, LastName="Οδός"), contact(2, LastName="Straße"), contact(3)]

    greek = run("SELECT Id FROM Contact WHERE LastName LIKE 'ΟΔΌΣ'", records)
    german = run("SELECT Id FROM Contact WHERE LastName LIKE 'STRA%E'", records)

    assert ids(greek) == ids(records[:1])
    assert ids(german) == ids(records[1:2])


def test_numbers_compare_numerically_including_negative_and_decimal_literals():
    records = [contact(1, Score__c=-2.5), contact(2, Score__c=0), contact(3, Score__c=3)]

    assert ids(run("SELECT Id FROM Contact WHERE Score__c < -1", records)) == ids(records[:1])
    assert ids(run("SELECT Id FROM Contact WHERE Score__c >= 0.0", records)) == ids(records[1:])
    assert ids(run("SELECT Id FROM Contact WHERE NumberOfKids__c > 0", records)) == []


def test_booleans_compare_with_true_and_false():
    records = [contact(1, DoNotCall=True), contact(2, DoNotCall=False)]

    assert ids(run("SELECT Id FROM Contact WHERE DoNotCall = TRUE", records)) == ids(records[:1])
    assert ids(run("SELECT Id FROM Contact WHERE DoNotCall != true", records)) == ids(records[1:])


@pytest.mark.parametrize(
    "literal",
    [
        "2024-01-31T10:00:00Z",
        "2024-01-31T10:00:00.000Z",
        "2024-01-31T11:00:00+01:00",
        "2024-01-31T11:00:00+0100",
        "2024-01-31T05:30:00-04:30",
    ],
)
def test_datetime_literals_in_every_offset_form_mean_the_same_instant(literal):
    instant = datetime(2024, 1, 31, 10, 0, tzinfo=UTC)
    records = [contact(1, CreatedDate=instant), contact(2, CreatedDate=None)]

    assert ids(run(f"SELECT Id FROM Contact WHERE CreatedDate = {literal}", records)) == ids(
        records[:1]
    )


def test_datetime_literal_from_simple_salesforce_round_trips():
    instant = datetime(2024, 5, 1, 8, 30, 15, tzinfo=UTC)
    records = [contact(1, CreatedDate=instant), contact(2, CreatedDate=instant.replace(hour=9))]
    soql = format_soql("SELECT Id FROM Contact WHERE CreatedDate <= {}", instant)

    assert ids(run(soql, records)) == ids(records[:1])


def test_date_literals_compare_with_date_fields():
    records = [contact(1, Birthdate=date(1990, 5, 1)), contact(2, Birthdate=date(2001, 1, 1))]

    result = run("SELECT Id FROM Contact WHERE Birthdate < 2000-01-01", records)

    assert ids(result) == ids(records[:1])


def test_relative_date_literals_cover_whole_utc_days():
    now = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)
    records = [
        contact(1, CreatedDate=datetime(2024, 3, 10, 0, 0, tzinfo=UTC)),
        contact(2, CreatedDate=datetime(2024, 3, 9, 23, 59, tzinfo=UTC)),
        contact(3, CreatedDate=datetime(2024, 3, 1, 12, 0, tzinfo=UTC)),
        contact(4, CreatedDate=datetime(2024, 3, 11, 1, 0, tzinfo=UTC)),
    ]

    def matching(condition: str) -> list[str]:
        return ids(run(f"SELECT Id FROM Contact WHERE CreatedDate {condition}", records, now=now))

    assert matching("= TODAY") == ids(records[:1])
    assert matching("= yesterday") == ids(records[1:2])
    assert matching("> TODAY") == ids(records[3:])
    assert matching("< TODAY") == ids(records[1:3])
    assert matching("= LAST_N_DAYS:1") == ids(records[:2])
    assert matching(">= LAST_N_DAYS:30") == ids(records)
    assert matching("= TOMORROW") == ids(records[3:])


def test_relative_date_literals_work_on_date_fields():
    now = datetime(2024, 3, 10, 23, 0, tzinfo=UTC)
    records = [contact(1, Birthdate=date(2024, 3, 10)), contact(2, Birthdate=date(2024, 3, 3))]

    result = run("SELECT Id FROM Contact WHERE Birthdate = N_DAYS_AGO:7", records, now=now)

    assert ids(result) == ids(records[1:])


def test_relationship_fields_filter_through_parents():
    records = [
        contact(1, AccountId=ACCOUNT_ID),
        contact(2, AccountId=OTHER_ACCOUNT_ID),
        contact(3, AccountId=None),
    ]

    by_name = run("SELECT Id FROM Contact WHERE Account.Name = 'ACME'", records)
    by_owner = run("SELECT Id FROM Contact WHERE Account.Owner.Name != null", records)

    assert ids(by_name) == ids(by_owner) == ids(records[:1])


def test_fifteen_character_id_literal_matches_the_eighteen_character_id():
    records = [contact(1, AccountId=ACCOUNT_ID), contact(2, AccountId=OTHER_ACCOUNT_ID)]

    result = run(f"SELECT Id FROM Contact WHERE AccountId = '{ACCOUNT_ID[:15]}'", records)

    assert ids(result) == ids(records[:1])

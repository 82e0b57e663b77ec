"""The sandbox's SOQL engine: grammar, names, literal types, filtering, ordering, paging."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from simple_salesforce.format import format_soql

from integrations.emulator.records.ids import make_id
from integrations.emulator.soql.engine import SoqlError, compile_query

SCHEMA = {
    "Account": {
        "Id": {"type": "id"},
        "Name": {"type": "string"},
        "OwnerId": {"type": "reference", "referenceTo": ["User"], "relationshipName": "Owner"},
        "AnnualRevenue": {"type": "currency"},
    },
    "Contact": {
        "Id": {"type": "id"},
        "FirstName": {"type": "string"},
        "LastName": {"type": "string"},
        "Email": {"type": "email"},
        "Phone": {"type": "phone"},
        "LeadSource": {"type": "picklist"},
        "Description": {"type": "textarea", "filterable": False, "sortable": False},
        "AccountId": {
            "type": "reference",
            "referenceTo": ["Account"],
            "relationshipName": "Account",
        },
        "DoNotCall": {"type": "boolean"},
        "NumberOfKids__c": {"type": "int"},
        "Score__c": {"type": "double"},
        "Birthdate": {"type": "date"},
        "CreatedDate": {"type": "datetime"},
    },
    "User": {"Id": {"type": "id"}, "Name": {"type": "string"}},
}

ACCOUNT_ID = make_id("001", 1)
OTHER_ACCOUNT_ID = make_id("001", 2)
USER_ID = make_id("005", 1)


def fields_of(name: str) -> dict | None:
    canonical = fields_of.canonical_name(name)
    return SCHEMA[canonical] if canonical else None


def canonical_name(name: str) -> str | None:
    return next((known for known in SCHEMA if known.lower() == name.lower()), None)


fields_of.canonical_name = canonical_name

PARENTS = {
    ACCOUNT_ID: {"Id": ACCOUNT_ID, "Name": "Acme", "OwnerId": USER_ID},
    OTHER_ACCOUNT_ID: {"Id": OTHER_ACCOUNT_ID, "Name": "beta", "OwnerId": None},
    USER_ID: {"Id": USER_ID, "Name": "Olga Owner"},
}
PARENT_ID_FIELDS = {"Account": "AccountId", "Owner": "OwnerId"}


def get_parent(record: dict, relationship: str) -> dict | None:
    return PARENTS.get(record.get(PARENT_ID_FIELDS[relationship]))


def contact(serial: int, **values) -> dict:
    return {"Id": make_id("003", serial), **values}


def compile_(soql: str, **kwargs):
    return compile_query(soql, fields_of, **kwargs)


def run(soql: str, records: list[dict], **kwargs) -> list[dict]:
    return compile_(soql, **kwargs).run(records, get_parent)


def ids(records: list[dict]) -> list[str]:
    return [record["Id"] for record in records]


def error_of(soql: str) -> SoqlError:
    with pytest.raises(SoqlError) as caught:
        compile_(soql)
    return caught.value


# -- names ---------------------------------------------------------------------------------


def test_names_and_keywords_are_case_insensitive_and_resolve_to_canonical_names():
    query = compile_("select id, account.NAME, ACCOUNT.owner.name from contact")

    assert query.object_name == "Contact"
    assert query.select == ["Id", "Account.Name", "Account.Owner.Name"]
    assert query.is_count is False
    assert query.limit is None
    assert query.offset is None


def test_unknown_field_is_invalid_field_with_salesforce_text():
    error = error_of("SELECT Id, Foo FROM Contact")

    assert error.error_code == "INVALID_FIELD"
    assert "No such column 'Foo' on entity 'Contact'. If you are attempting to use a custom " in (
        str(error)
    )
    assert "ERROR at Row:1:Column:12" in str(error)


def test_unknown_field_behind_a_relationship_names_the_parent_entity():
    error = error_of("SELECT Account.Nope FROM Contact")

    assert error.error_code == "INVALID_FIELD"
    assert "No such column 'Nope' on entity 'Account'" in str(error)


def test_unknown_relationship_is_invalid_field():
    error = error_of("SELECT Acount.Name FROM Contact")

    assert error.error_code == "INVALID_FIELD"
    assert "Didn't understand relationship 'Acount' in field path" in str(error)


def test_unknown_object_is_invalid_type():
    error = error_of("SELECT Id FROM Foo")

    assert error.error_code == "INVALID_TYPE"
    assert "sObject type 'Foo' is not supported." in str(error)


def test_duplicate_field_in_select_is_rejected_whatever_its_case():
    error = error_of("SELECT Id, Email, email FROM Contact")

    assert error.error_code == "INVALID_FIELD"
    assert str(error).endswith("duplicate field selected: Email")


def test_error_message_points_at_row_and_column():
    error = error_of("SELECT Id\nFROM Contact\nWHERE Bogus = 1")

    assert str(error).startswith("\nWHERE Bogus = 1\n      ^\nERROR at Row:3:Column:7\n")


# -- grammar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT FROM Contact",
        "SELECT Id Contact",
        "SELECT Id FROM Contact WHERE",
        "SELECT Id FROM Contact LIMIT 5 WHERE Email = null",
        "SELECT Id FROM Contact OFFSET 5 LIMIT 5",
        "SELECT Id FROM Contact ORDER Email",
        "SELECT Id FROM Contact WHERE Email IN ()",
        'SELECT Id FROM Contact WHERE Email = "a@b.c"',
        "SELECT Id FROM Contact WHERE Email = 'a@b.c' AND NOT (Email = null)",
        "SELECT Id FROM Contact LIMIT -1",
        "SELECT Id FROM Contact LIMIT 1.5",
        "SELECT Id, COUNT() FROM Contact",
        "SELECT COUNT(Id) FROM Contact",
        "SELECT Id FROM Contact GROUP BY Id",
        "SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)",
        "SELECT Id FROM Contact WHERE CreatedDate > 2024-01-31T10:00:00",
        "SELECT Id FROM Contact WHERE Birthdate = 2024-02-30",
        "SELECT Id FROM Contact WHERE Email = :email",
        "SELECT Id FROM Contact;",
    ],
)
def test_statements_outside_the_grammar_are_malformed(soql):
    assert error_of(soql).error_code == "MALFORMED_QUERY"


def test_mixing_and_with_or_without_parentheses_is_malformed():
    error = error_of("SELECT Id FROM Contact WHERE Email = 'a' AND LastName = 'b' OR Phone = 'c'")

    assert error.error_code == "MALFORMED_QUERY"
    assert str(error).endswith("unexpected token: 'OR'")


def test_parentheses_allow_mixing_and_with_or():
    records = [
        contact(1, Email="a@x.com", LastName="Smith"),
        contact(2, Email="b@x.com", LastName="Jones"),
        contact(3, Email="c@x.com", LastName="Smith"),
    ]
    soql = (
        "SELECT Id FROM Contact "
        "WHERE LastName = 'smith' AND (Email = 'a@x.com' OR Email = 'c@x.com')"
    )

    assert ids(run(soql, records)) == ids([records[0], records[2]])


def test_not_negates_the_condition_it_starts():
    records = [contact(1, LastName="Smith"), contact(2, LastName="Jones")]

    result = run("SELECT Id FROM Contact WHERE (NOT LastName = 'Smith')", records)

    assert ids(result) == ids(records[1:])


def test_statement_over_100000_characters_is_malformed():
    soql = "SELECT Id FROM Contact WHERE Email IN (" + ",".join(["'a@b.c'"] * 15_000) + ")"

    error = error_of(soql)

    assert len(soql) > 100_000
    assert error.error_code == "MALFORMED_QUERY"
    assert "100000 characters" in str(error)


def test_deeply_nested_parentheses_are_refused_not_crashed_on():
    soql = "SELECT Id FROM Contact WHERE " + "(" * 5000 + "Email = null" + ")" * 5000

    assert error_of(soql).error_code == "QUERY_TOO_COMPLICATED"


def test_count_query_has_no_select_paths_and_may_be_limited():
    records = [contact(serial) for serial in range(1, 6)]

    query = compile_("SELECT count() FROM Contact LIMIT 3")

    assert query.is_count is True
    assert query.select == []
    assert len(query.run(records, get_parent)) == 3


def test_count_with_order_by_is_malformed():
    assert error_of("SELECT COUNT() FROM Contact ORDER BY Email").error_code == "MALFORMED_QUERY"


def test_offset_above_2000_is_out_of_range():
    error = error_of("SELECT Id FROM Contact LIMIT 10 OFFSET 2001")

    assert error.error_code == "NUMBER_OUTSIDE_VALID_RANGE"
    assert compile_("SELECT Id FROM Contact OFFSET 2000").offset == 2000


# -- string literals and injection -----------------------------------------------------------


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


# -- ordering and paging -------------------------------------------------------------------


def test_order_by_sorts_text_case_insensitively_with_nulls_first_ascending():
    records = [contact(1, LastName="beta"), contact(2, LastName=None), contact(3, LastName="Alpha")]

    result = run("SELECT Id FROM Contact ORDER BY LastName", records)

    assert [record["LastName"] for record in result] == [None, "Alpha", "beta"]


def test_order_by_desc_puts_nulls_last_unless_told_otherwise():
    records = [contact(1, Score__c=1), contact(2, Score__c=None), contact(3, Score__c=2)]

    default = run("SELECT Id FROM Contact ORDER BY Score__c DESC", records)
    nulls_first = run("SELECT Id FROM Contact ORDER BY Score__c DESC NULLS FIRST", records)
    asc_nulls_last = run("SELECT Id FROM Contact ORDER BY Score__c ASC NULLS LAST", records)

    assert [record["Score__c"] for record in default] == [2, 1, None]
    assert [record["Score__c"] for record in nulls_first] == [None, 2, 1]
    assert [record["Score__c"] for record in asc_nulls_last] == [1, 2, None]


def test_order_by_several_keys_and_relationship_paths():
    records = [
        contact(1, LastName="b", AccountId=OTHER_ACCOUNT_ID),
        contact(2, LastName="a", AccountId=ACCOUNT_ID),
        contact(3, LastName="c", AccountId=ACCOUNT_ID),
        contact(4, LastName="d", AccountId=None),
    ]

    result = run("SELECT Id FROM Contact ORDER BY Account.Name DESC, LastName DESC", records)

    assert [record["LastName"] for record in result] == ["b", "c", "a", "d"]


def test_offset_and_limit_apply_after_filter_and_sort():
    records = [contact(serial, Score__c=serial % 4) for serial in range(1, 11)]
    soql = "SELECT Id FROM Contact WHERE Score__c > 0 ORDER BY Score__c, Id LIMIT 3 OFFSET 2"

    result = run(soql, records)

    assert [(record["Score__c"], record["Id"]) for record in result] == [
        (1, make_id("003", 9)),
        (2, make_id("003", 2)),
        (2, make_id("003", 6)),
    ]


def test_unsorted_results_keep_the_given_order_and_stop_at_the_limit():
    records = [contact(serial) for serial in range(1, 6)]

    assert ids(run("SELECT Id FROM Contact LIMIT 2 OFFSET 1", records)) == ids(records[1:3])
    assert ids(run("SELECT Id FROM Contact LIMIT 0", records)) == []


# -- what the store uses -------------------------------------------------------------------


def test_value_reads_select_paths_through_parents():
    query = compile_("SELECT Id, LastName, Account.Name, Account.Owner.Name FROM Contact")
    with_parent = contact(1, LastName="Smith", AccountId=ACCOUNT_ID)
    orphan = contact(2, LastName="Jones", AccountId=None)

    assert query.value(with_parent, "LastName", get_parent) == "Smith"
    assert query.value(with_parent, "Account.Owner.Name", get_parent) == "Olga Owner"
    assert query.value(orphan, "Account.Name", get_parent) is None


def test_equality_hint_prefers_id_and_normalises_values():
    query = compile_(
        f"SELECT Id FROM Contact WHERE Email = 'A@X.com' AND Id IN ('{make_id('003', 1)[:15]}')"
    )

    assert query.equality_hint() == ("Id", frozenset({make_id("003", 1)}))


def test_equality_hint_lowercases_text_values():
    query = compile_("SELECT Id FROM Contact WHERE Email IN ('A@X.com', 'b@x.com') AND Phone = '1'")

    assert query.equality_hint() == ("Email", frozenset({"a@x.com", "b@x.com"}))


@pytest.mark.parametrize(
    "where",
    [
        "",
        "WHERE Email = 'a@x.com' OR LastName = 'b'",
        "WHERE NOT Email = 'a@x.com'",
        "WHERE Email = null",
        "WHERE Email != 'a@x.com'",
        "WHERE Account.Name = 'Acme'",
        "WHERE LeadSource = 'Web'",
    ],
)
def test_no_equality_hint_when_no_top_level_equality_on_an_indexable_field(where):
    assert compile_(f"SELECT Id FROM Contact {where}").equality_hint() is None


def test_large_in_list_over_many_records_stays_fast():
    emails = [f"user{serial}@x.com" for serial in range(3000)]
    records = [contact(serial, Email=f"USER{serial}@x.com") for serial in range(100_000)]
    soql = format_soql("SELECT Id FROM Contact WHERE Email IN {} ORDER BY Email", emails)

    query = compile_(soql)
    started = datetime.now(UTC)
    result = query.run(records, get_parent)
    elapsed = datetime.now(UTC) - started

    assert len(result) == 3000
    assert elapsed.total_seconds() < 2

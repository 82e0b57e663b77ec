"""SOQL grammar: what the parser accepts and the MALFORMED_QUERY it gives for the rest."""

from __future__ import annotations

import pytest

from .conftest import compile_, contact, error_of, get_parent, ids, run


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

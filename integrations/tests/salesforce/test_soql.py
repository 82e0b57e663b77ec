"""SOQL building: escaping and chunking, as pure functions and against the emulator."""

import pytest

from integrations.salesforce import soql

HOSTILE = ["O'Brien", "back\\slash", "x' OR Name LIKE '%", 'quote"d', "line\nbreak", "50%_off"]
# Each hostile value as a SOQL string literal, escaped by hand (Salesforce's rules).
LITERALS = [
    "'O\\'Brien'", "'back\\\\slash'", "'x\\' OR Name LIKE \\'%'", "'quote\\\"d'",
    "'line\\nbreak'", "'50%_off'",
]  # fmt: skip


def test_format_soql_escapes_quotes_and_backslashes():
    # given: a backslash that would otherwise escape the closing quote
    value = "x\\' OR Name LIKE '%"
    # when
    statement = soql.format_soql("SELECT Id FROM Contact WHERE LastName = {}", value)
    # then
    assert statement == "SELECT Id FROM Contact WHERE LastName = 'x\\\\\\' OR Name LIKE \\'%'"


def test_like_format_escapes_wildcards():
    statement = soql.format_soql(
        "SELECT Id FROM Contact WHERE LastName LIKE '{:like}%'", "50%_o'ff"
    )
    assert statement.endswith("LIKE '50\\%\\_o\\'ff%'")


@pytest.mark.parametrize("name", ["Contact; DELETE", "Name'", "", "1Name", "Account..Name"])
def test_identifier_rejects_anything_but_names(name):
    with pytest.raises(ValueError, match="not a valid Salesforce"):
        soql.identifier(name)


def test_select_builds_a_statement_with_unique_fields():
    statement = soql.select("Contact", ["Id", "Email", "Id", "Account.Name"], limit=5)
    assert statement == "SELECT Id, Email, Account.Name FROM Contact LIMIT 5"


def test_in_chunks_cover_every_value_once_and_stay_under_the_limit(settings):
    # given
    settings.SALESFORCE_QUERY_MAX_CHARS = 2_000
    values = [f"person{index}@example.com" for index in range(500)] + HOSTILE
    # when
    statements = list(soql.select_in_chunks("Contact", ["Id"], field="Email", values=values))
    # then
    assert len(statements) > 1
    assert all(len(statement) <= 2_000 for statement in statements)
    joined = "".join(statements)
    assert all(literal in joined for literal in LITERALS)
    assert sum(statement.count("@example.com'") for statement in statements) == 500


def test_in_chunks_respect_the_character_limit(settings):
    settings.SALESFORCE_QUERY_MAX_CHARS = 300
    values = [f"v{index:04d}" for index in range(200)]
    statements = list(soql.select_in_chunks("Lead", ["Id"], field="LastName", values=values))
    assert all(len(statement) <= 300 for statement in statements)
    assert sum(statement.count("'v") for statement in statements) == 200


def test_a_value_too_long_for_any_statement_is_an_error(settings):
    settings.SALESFORCE_QUERY_MAX_CHARS = 500
    with pytest.raises(ValueError, match="too long"):
        list(soql.select_in_chunks("Lead", ["Id"], field="LastName", values=["x" * 600]))


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_values_in_salesforce(emulator, sf_client, value):
    # given
    target = emulator.store.insert("Contact", {"LastName": value})
    emulator.store.insert("Contact", {"LastName": "Someone else"})
    # when
    equal = sf_client.query(
        soql.format_soql("SELECT Id, LastName FROM Contact WHERE LastName = {}", value)
    )
    like = sf_client.query(
        soql.format_soql("SELECT Id FROM Contact WHERE LastName LIKE '{:like}'", value)
    )
    found_in = sf_client.query_in("Contact", ["Id"], field="LastName", values=[value, "nobody"])
    # then
    assert [row["Id"] for row in equal] == [target]
    assert [row["Id"] for row in like] == [target]
    assert [row["Id"] for row in found_in] == [target]


def test_the_emulator_rejects_an_unescaped_quote_like_salesforce(emulator, sf_client):
    from integrations.exceptions import PermanentError

    emulator.store.insert("Contact", {"LastName": "O'Brien"})
    with pytest.raises(PermanentError) as raised:
        list(sf_client.query("SELECT Id FROM Contact WHERE LastName = 'O'Brien'"))
    assert raised.value.code == "MALFORMED_QUERY"


def test_identifier_with_a_trailing_newline_is_refused():
    with pytest.raises(ValueError, match="not a valid Salesforce"):
        soql.identifier("Email\n")

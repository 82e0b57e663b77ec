"""SOQL names: resolved case-insensitively to canonical names, with Salesforce's errors."""

from __future__ import annotations

from .conftest import compile_, error_of


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

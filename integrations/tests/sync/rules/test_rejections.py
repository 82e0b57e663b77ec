"""Foreseeing Salesforce's refusals from describe(): lengths, restricted picklists, state and
country codes, required fields on create; Salesforce's codes and messages, first one wins."""

from integrations.emulator.records.validation import _EMAIL as emulator_email
from integrations.sync.rules.rejections import EMAIL, foreseen_error, required_on_create


def text(name, length, **options):
    return {"name": name, "label": name, "type": "string", "length": length, "nillable": True,
            "createable": True, "defaultedOnCreate": False, **options}  # fmt: skip


def picklist(name, values, **options):
    entries = [{"value": value, "active": True} for value in values]
    entries.append({"value": "Retired", "active": False})
    return {**text(name, 255), "type": "picklist", "picklistValues": entries, **options}


FIELDS = {
    "LastName": text("LastName", 80, nillable=False),
    "Company": text("Company", 255, nillable=False),
    "Title": text("Title", 128),
    "Status": picklist("Status", ["Open", "Working"], restrictedPicklist=True, nillable=False,
                       defaultedOnCreate=True),
    "Industry": picklist("Industry", ["Energy"]),
    "CountryCode": picklist("CountryCode", ["DE", "US"]),
    "StateCode": {**picklist("StateCode", []), "picklistValues": [
        {"value": "BY", "active": True, "validFor": "gA=="},  # the first country: DE
        {"value": "CA", "active": True, "validFor": "QA=="},  # the second: US
    ]},
    "HasOptedOutOfEmail": {**text("HasOptedOutOfEmail", 0, nillable=False), "type": "boolean"},
}  # fmt: skip
VALID = {"LastName": "Lovelace", "Company": "Analytical Engines"}


def test_a_valid_create_or_update_is_foreseen_to_succeed():
    assert foreseen_error(VALID, FIELDS, creating=True) is None
    assert foreseen_error({"Title": "CTO", "Industry": "Unknown"}, FIELDS, creating=False) is None


def test_a_value_longer_than_its_field():
    error = foreseen_error({**VALID, "Title": "x" * 129}, FIELDS, creating=True)
    assert (error.code, error.fields) == ("STRING_TOO_LONG", ("Title",))
    assert error.message == f"Title: data value too large: {'x' * 129} (max length=128)"
    assert foreseen_error({"Title": "x" * 128}, FIELDS, creating=False) is None


def test_a_value_a_restricted_picklist_does_not_have_even_an_inactive_one():
    for value in ("Closed", "Retired"):
        error = foreseen_error({"Status": value}, FIELDS, creating=False)
        assert error.code == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
        assert error.message == f"Status: bad value for restricted picklist field: {value}"
    assert foreseen_error({"Status": "Working"}, FIELDS, creating=False) is None


def test_state_and_country_codes_the_org_picklists_do_not_have():
    country = foreseen_error({"CountryCode": "XX"}, FIELDS, creating=False)
    state = foreseen_error({"StateCode": "ZZ"}, FIELDS, creating=False)
    assert (country.code, country.fields) == ("FIELD_INTEGRITY_EXCEPTION", ("CountryCode",))
    assert "valid countries" in country.message
    assert (state.code, state.fields) == ("FIELD_INTEGRITY_EXCEPTION", ("StateCode",))
    assert "valid states" in state.message
    assert foreseen_error({"CountryCode": "US", "StateCode": "CA"}, FIELDS, creating=False) is None


def test_a_state_its_country_does_not_have():
    error = foreseen_error({"CountryCode": "DE", "StateCode": "CA"}, FIELDS, creating=False)
    assert (error.code, error.fields) == ("FIELD_INTEGRITY_EXCEPTION", ("StateCode",))
    assert foreseen_error({"CountryCode": "DE", "StateCode": "BY"}, FIELDS, creating=False) is None
    assert foreseen_error({"StateCode": "CA"}, FIELDS, creating=False) is None  # country unknown


def test_required_fields_missing_on_create_only_in_one_error():
    error = foreseen_error({"Title": "CTO"}, FIELDS, creating=True)
    assert error.code == "REQUIRED_FIELD_MISSING"
    assert error.fields == ("LastName", "Company")
    assert error.message == "Required fields are missing: [LastName, Company]"
    assert foreseen_error({"Title": "CTO"}, FIELDS, creating=False) is None
    assert foreseen_error({**VALID, "Company": ""}, FIELDS, creating=True).fields == ("Company",)


def test_a_value_error_comes_before_the_required_fields():
    error = foreseen_error({"Title": "x" * 200}, FIELDS, creating=True)
    assert error.code == "STRING_TOO_LONG"


def test_what_is_required_on_create():
    assert required_on_create(FIELDS["LastName"])
    assert not required_on_create(FIELDS["Status"])  # defaulted on create
    assert not required_on_create(FIELDS["HasOptedOutOfEmail"])  # booleans are never null
    assert not required_on_create({**FIELDS["LastName"], "createable": False})
    assert not required_on_create(FIELDS["Title"])


def test_fields_describe_does_not_know_are_left_to_salesforce():
    assert foreseen_error({**VALID, "Unknown__c": "x" * 999}, FIELDS, creating=True) is None


def test_an_invalid_email_address_as_the_emulator_refuses_it():
    fields = {**FIELDS, "Email": {**text("Email", 80), "type": "email"}}
    error = foreseen_error({**VALID, "Email": "user@localhost"}, fields, creating=True)
    assert (error.code, error.fields) == ("INVALID_EMAIL_ADDRESS", ("Email",))
    assert error.message == "Email: invalid email address: user@localhost"
    assert foreseen_error({"Email": "ada@example.com"}, fields, creating=False) is None
    assert EMAIL.pattern == emulator_email.pattern  # one rule on both sides


def test_a_number_beyond_its_precision():
    fields = {"Employees": {**text("Employees", 0), "type": "double", "precision": 8,
                            "scale": 0}}  # fmt: skip
    error = foreseen_error({"Employees": 100_000_000}, fields, creating=False)
    assert (error.code, error.fields) == ("NUMBER_OUTSIDE_VALID_RANGE", ("Employees",))
    assert foreseen_error({"Employees": 99_999_999}, fields, creating=False) is None


def test_a_state_without_a_country_on_create():
    fields = {**FIELDS, "State": text("State", 80, label="State/Province")}
    error = foreseen_error({**VALID, "StateCode": "BY"}, fields, creating=True)
    assert (error.code, error.fields) == ("FIELD_INTEGRITY_EXCEPTION", ("StateCode",))
    assert error.message == (
        "A country/territory must be specified before specifying a state value for field: "
        "State/Province"
    )
    with_country = {**VALID, "StateCode": "BY", "CountryCode": "DE"}
    assert foreseen_error(with_country, fields, creating=True) is None
    assert foreseen_error({"StateCode": "BY"}, fields, creating=False) is None  # it may have one

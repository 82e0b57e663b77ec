"""Field mappings checked against describe(), and the mappings a fresh install has."""

import pytest

from integrations.choices import MappingRule
from integrations.models import FieldMapping
from integrations.sync.mapping_validation import (
    default_mappings,
    fitting_local_fields,
    mappable_local_fields,
    picklist_fields,
    picklists_missing,
    picklists_refusal,
    validate_mapping,
)


def described(name, kind, *, writable=True):
    return {"name": name, "type": kind, "createable": writable, "updateable": writable}


FIELDS = {
    "Email": described("Email", "email"),
    "Title": described("Title", "string"),
    "Phone": described("Phone", "phone"),
    "Website": described("Website", "url"),
    "Status": described("Status", "picklist"),
    "Score__c": described("Score__c", "double"),
    "Birthdate": described("Birthdate", "date"),
    "Opted_Out__c": described("Opted_Out__c", "boolean"),
    "Name": described("Name", "string", writable=False),
    "OwnerId": described("OwnerId", "reference"),
    "MailingAddress": described("MailingAddress", "address", writable=False),
}


def check(local, remote, *, sobject="Lead", rule=MappingRule.TWO_WAY):
    return validate_mapping(
        fields=FIELDS,
        salesforce_object=sobject,
        salesforce_field=remote,
        local_field=local,
        rule=rule,
    )


@pytest.mark.parametrize(
    ("local", "remote"),
    [
        ("email", "Email"),
        ("email", "Title"),
        ("title", "Title"),
        ("phone", "Phone"),
        ("lifecycle_stage", "Status"),
        ("properties.score", "Score__c"),
        ("properties.birthday", "Birthdate"),
        ("properties.opted_out", "Opted_Out__c"),
        ("properties.notes", "Title"),
    ],
)
def test_compatible_mappings_pass(local, remote):
    assert check(local, remote) == []


def test_account_maps_company_fields():
    assert check("website", "Website", sobject="Account") == []
    assert check("name", "Title", sobject="Account") == []


def test_unknown_salesforce_field_is_reported():
    (problem,) = check("title", "Job_Title__c")
    assert "Lead has no field “Job_Title__c”" in problem
    assert "__c" in problem


def test_wrong_case_names_the_api_name():
    (problem,) = check("title", "title")
    assert "the API name is Title" in problem


@pytest.mark.parametrize(
    ("local", "remote", "kind"),
    [
        ("title", "Score__c", "double"),
        ("email", "Phone", "phone"),
        ("first_name", "Opted_Out__c", "boolean"),
        ("country", "OwnerId", "reference"),
        ("properties.address", "MailingAddress", "address"),
    ],
)
def test_type_mismatch_is_reported(local, remote, kind):
    problems = check(local, remote, rule=MappingRule.ALWAYS_SALESFORCE)
    assert problems == [problems[0]]
    assert f"is a field of type {kind} and cannot hold {local}" in problems[0]


@pytest.mark.parametrize(
    "rule", [MappingRule.TWO_WAY, MappingRule.PREFER_SALESFORCE, MappingRule.TO_SALESFORCE]
)
def test_rules_that_write_need_a_writable_field(rule):
    (problem,) = check("last_name", "Name", rule=rule)
    assert "cannot be written" in problem


@pytest.mark.parametrize("rule", [MappingRule.ALWAYS_SALESFORCE, MappingRule.OFF])
def test_read_only_field_is_fine_for_rules_that_only_read(rule):
    assert check("last_name", "Name", rule=rule) == []


@pytest.mark.parametrize(
    ("sobject", "local", "message"),
    [
        ("Lead", "password", "not a local field of Lead"),
        ("Account", "email", "not a local field of Account"),
        ("Contact", "properties.bad key", "single underscores"),
        ("Contact", "properties.plan__tier", "single underscores"),
        ("Lead", "properties.plan\n", "single underscores"),
        ("Account", "properties.size", "Companies have no custom properties"),
        ("Opportunity", "name", "not for “Opportunity”"),
    ],
)
def test_unknown_local_fields_are_reported(sobject, local, message):
    problems = check(local, "Title", sobject=sobject)
    assert any(message in problem for problem in problems)


def test_unknown_rule_is_reported():
    assert any("Unknown rule" in problem for problem in check("title", "Title", rule="sometimes"))


def test_mappable_local_fields_per_object():
    assert "company" in mappable_local_fields("Lead")
    assert "email" in mappable_local_fields("Contact")
    assert mappable_local_fields("Account") == ["name", "domain", "website"]
    assert mappable_local_fields("Opportunity") == []


def test_default_mappings():
    by_object = {}
    for mapping in default_mappings():
        assert mapping["rule"] == MappingRule.TWO_WAY
        by_object.setdefault(mapping["salesforce_object"], {})[mapping["local_field"]] = mapping[
            "salesforce_field"
        ]
    assert by_object["Lead"] == {
        "email": "Email", "first_name": "FirstName", "last_name": "LastName",
        "company": "Company", "title": "Title", "phone": "Phone", "state": "State",
        "country": "Country",
    }  # fmt: skip
    assert by_object["Contact"] == {
        "email": "Email", "first_name": "FirstName", "last_name": "LastName", "title": "Title",
        "phone": "Phone", "state": "MailingState", "country": "MailingCountry",
    }  # fmt: skip
    assert by_object["Account"] == {"name": "Name", "website": "Website"}


@pytest.mark.django_db
def test_a_fresh_database_has_the_default_mappings():
    stored = set(
        FieldMapping.objects.values_list("salesforce_object", "local_field", "salesforce_field")
    )
    expected = {
        (item["salesforce_object"], item["local_field"], item["salesforce_field"])
        for item in default_mappings()
    }
    assert stored == expected


@pytest.mark.parametrize("sobject", ["Lead", "Contact", "Account"])
def test_default_mappings_are_valid_against_the_emulated_org(sf_client, sobject):
    fields = sf_client.fields(sobject)
    for mapping in default_mappings():
        if mapping["salesforce_object"] == sobject:
            assert validate_mapping(fields=fields, **mapping) == []


def test_picklist_fields_follow_the_mapped_state_and_country_fields():
    mappings = [
        {"salesforce_object": "Contact", "salesforce_field": "MailingCountry", "rule": "two_way"},
        {"salesforce_object": "Lead", "salesforce_field": "State", "rule": "off"},
        {"salesforce_object": "Lead", "salesforce_field": "Title", "rule": "two_way"},
    ]
    assert picklist_fields(mappings) == [("Contact", "MailingCountryCode")]
    assert picklist_fields([]) == [("Lead", "CountryCode"), ("Lead", "StateCode")]


def test_picklists_missing_names_the_absent_code_fields():
    described = {"Lead": {"CountryCode": {}}, "Contact": {}}
    wanted = [("Lead", "CountryCode"), ("Lead", "StateCode"), ("Contact", "MailingStateCode")]
    missing = picklists_missing(fields_of=described.__getitem__, wanted=wanted)
    assert missing == ["Lead.StateCode", "Contact.MailingStateCode"]
    assert "no Lead.StateCode, Contact.MailingStateCode field" in picklists_refusal(missing)


def test_fitting_local_fields_are_those_whose_types_the_field_can_hold():
    text = {"name": "Title", "type": "string"}
    number = {"name": "NumberOfEmployees", "type": "int"}
    address = {"name": "Address", "type": "address"}

    assert fitting_local_fields(text, salesforce_object="Lead")[-2:] == [
        "lifecycle_stage", "properties",
    ]  # fmt: skip
    assert fitting_local_fields(number, salesforce_object="Lead") == ["properties"]
    assert fitting_local_fields(number, salesforce_object="Account") == []
    assert fitting_local_fields(address, salesforce_object="Contact") == []
    assert "email" not in fitting_local_fields({"type": "phone"}, salesforce_object="Contact")

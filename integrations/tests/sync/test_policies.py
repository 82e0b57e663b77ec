"""The inclusion list: validation, the Python check, and the database filter agreeing with it."""

import pytest
from django.core.exceptions import ValidationError

from integrations.choices import InclusionMode, RuleOperator
from integrations.sync.policies import (
    Rule,
    contact_included,
    inclusion_preview,
    inclusion_q,
    validate_rule,
)
from tracking.models import Contact
from tracking.tests.factories import ContactFactory

ALL, ANY, NONE = InclusionMode.ALL, InclusionMode.ANY, InclusionMode.NONE


def contact(**fields):
    fields.setdefault("email", "ada@example.com")
    return Contact(**fields)


# -- validate_rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "operator", "value"),
    [
        ("country", RuleOperator.EQUALS, "Germany"),
        ("email", RuleOperator.ENDS_WITH, "@example.com"),
        ("lifecycle_stage", RuleOperator.IN, "lead, Customer"),
        ("properties.plan", RuleOperator.IS_SET, ""),
        ("properties.score_2", RuleOperator.CONTAINS, "9"),
    ],
)
def test_valid_rules_pass(field, operator, value):
    assert validate_rule(field, operator, value) is None


@pytest.mark.parametrize(
    ("field", "operator", "value", "key", "message"),
    [
        ("password", RuleOperator.EQUALS, "x", "field", "Unknown field"),
        ("properties.", RuleOperator.EQUALS, "x", "field", "Unknown field"),
        ("properties.a-b", RuleOperator.EQUALS, "x", "field", "Unknown field"),
        ("properties.0", RuleOperator.EQUALS, "x", "field", "Unknown field"),
        ("country", "like", "x", "operator", "Unknown operator"),
        ("country", RuleOperator.EQUALS, "", "value", "Enter a value"),
        ("country", RuleOperator.IN, " , ", "value", "Enter a value"),
        ("lifecycle_stage", RuleOperator.EQUALS, "vip", "value", "not vip"),
        ("lifecycle_stage", RuleOperator.IN, "lead,vip", "value", "not vip"),
    ],
)
def test_invalid_rules_are_errors_on_the_culprit(field, operator, value, key, message):
    with pytest.raises(ValidationError) as raised:
        validate_rule(field, operator, value)
    assert message in " ".join(raised.value.message_dict[key])


def test_every_problem_of_a_rule_is_reported():
    with pytest.raises(ValidationError) as raised:
        validate_rule("nope", "nope", "")
    assert set(raised.value.message_dict) == {"field", "operator"}


# -- contact_included (Python) ------------------------------------------------------------


def test_no_inclusion_list_lets_everyone_through():
    assert contact_included(contact(), mode=NONE, rules=[Rule("country", "equals", "Mars")])


def test_text_comparisons_ignore_case():
    person = contact(country="Germany", title="VP Sales")
    assert contact_included(person, mode=ALL, rules=[Rule("country", "equals", "GERMANY")])
    assert contact_included(person, mode=ALL, rules=[Rule("title", "contains", "sales")])
    assert contact_included(person, mode=ALL, rules=[Rule("title", "starts_with", "vp")])
    assert contact_included(person, mode=ALL, rules=[Rule("country", "in", "France, germany")])


def test_all_needs_every_rule_and_any_needs_one():
    person = contact(country="Germany", lifecycle_stage="lead")
    rules = [Rule("country", "equals", "Germany"), Rule("lifecycle_stage", "equals", "customer")]
    assert not contact_included(person, mode=ALL, rules=rules)
    assert contact_included(person, mode=ANY, rules=rules)


def test_blank_values_are_unset_and_never_match_a_value():
    person = contact(country="", properties={"plan": None, "tier": ""})
    assert contact_included(person, mode=ALL, rules=[Rule("country", "is_not_set")])
    assert contact_included(person, mode=ALL, rules=[Rule("properties.plan", "is_not_set")])
    assert contact_included(person, mode=ALL, rules=[Rule("properties.tier", "is_not_set")])
    assert contact_included(person, mode=ALL, rules=[Rule("properties.gone", "is_not_set")])
    assert not contact_included(person, mode=ALL, rules=[Rule("country", "contains", "a")])
    assert contact_included(person, mode=ALL, rules=[Rule("country", "not_equals", "Germany")])


def test_property_values_compare_as_text():
    person = contact(properties={"score": 42, "trial": True, "plan": "Pro"})
    assert contact_included(person, mode=ALL, rules=[Rule("properties.score", "equals", "42")])
    assert contact_included(person, mode=ALL, rules=[Rule("properties.trial", "equals", "TRUE")])
    assert contact_included(person, mode=ALL, rules=[Rule("properties.plan", "is_set")])


# -- inclusion_q (database) agrees with contact_included ----------------------------------

PEOPLE = [
    {"email": "a@acme.com", "country": "Germany", "lifecycle_stage": "lead",
     "properties": {"plan": "Pro", "score": 42, "trial": True}},
    {"email": "b@acme.com", "country": "germany", "lifecycle_stage": "customer",
     "properties": {"plan": "free", "trial": False}},
    {"email": "c@other.org", "country": "France", "title": "VP Sales",
     "properties": {"plan": None, "score": 7}},
    {"email": "d@other.org", "country": "", "properties": {"plan": ""}},
    {"email": "E@Example.COM", "country": "United States", "title": "CTO", "properties": {}},
]  # fmt: skip

RULE_SETS = [
    [Rule("country", "equals", "GERMANY")],
    [Rule("country", "not_equals", "germany")],
    [Rule("country", "contains", "an")],
    [Rule("country", "not_contains", "an")],
    [Rule("email", "ends_with", "@ACME.com")],
    [Rule("email", "starts_with", "e@")],
    [Rule("country", "in", "france, United States")],
    [Rule("country", "is_set")],
    [Rule("country", "is_not_set")],
    [Rule("title", "is_not_set")],
    [Rule("properties.plan", "equals", "pro")],
    [Rule("properties.plan", "not_equals", "pro")],
    [Rule("properties.plan", "is_set")],
    [Rule("properties.plan", "is_not_set")],
    [Rule("properties.plan", "not_contains", "r")],
    [Rule("properties.plan", "in", "free,PRO")],
    [Rule("properties.score", "equals", "42")],
    [Rule("properties.score", "starts_with", "4")],
    [Rule("properties.trial", "equals", "true")],
    [Rule("properties.trial", "not_equals", "false")],
    [Rule("properties.missing", "not_equals", "x")],
    [Rule("country", "equals", "germany"), Rule("properties.plan", "equals", "free")],
    [Rule("title", "contains", "cto"), Rule("properties.score", "is_set")],
    [],
]


@pytest.fixture
def people(db):
    return [ContactFactory(**{"title": "", **fields}) for fields in PEOPLE]


@pytest.mark.parametrize("mode", [ALL, ANY, NONE])
@pytest.mark.parametrize("rules", RULE_SETS)
def test_database_filter_agrees_with_python(people, mode, rules):
    in_python = {
        person.email for person in people if contact_included(person, mode=mode, rules=rules)
    }
    in_database = set(
        Contact.objects.filter(inclusion_q(mode=mode, rules=rules)).values_list("email", flat=True)
    )
    assert in_database == in_python


def test_no_inclusion_list_is_an_empty_filter():
    assert inclusion_q(mode=NONE, rules=[Rule("country", "equals", "x")]) == inclusion_q(
        mode=NONE, rules=[]
    )


def test_preview_counts_all_matches_and_samples_ten(db):
    for number in range(12):
        ContactFactory(email=f"p{number:02d}@acme.com", country="Germany")
    ContactFactory(email="x@acme.com", country="France")

    count, sample = inclusion_preview(mode=ALL, rules=[Rule("country", "equals", "germany")])

    assert count == 12
    assert [person.email for person in sample] == [f"p{n:02d}@acme.com" for n in range(10)]

"""The inclusion list: rule validation, and the database filter that applies the rules."""

import pytest
from django.core.exceptions import ValidationError

from integrations.choices import InclusionMode, RuleOperator
from integrations.selectors import inclusion_preview
from integrations.sync.rules.inclusion import Rule, inclusion_q, rule_words, validate_rule
from tracking.models import Contact
from tracking.tests.factories import ContactFactory

ALL, ANY, NONE = InclusionMode.ALL, InclusionMode.ANY, InclusionMode.NONE
pytestmark = pytest.mark.django_db


def contact(**fields):
    fields.setdefault("email", "ada@example.com")
    return ContactFactory(**{"title": "", **fields})


def included(person, *, mode, rules) -> bool:
    """Whether the inclusion list lets the saved contact through."""
    return Contact.objects.filter(pk=person.pk).filter(inclusion_q(mode=mode, rules=rules)).exists()


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
        ("properties.plan__isnull", RuleOperator.IS_SET, "", "field", "Unknown field"),
        ("properties.plan__tier", RuleOperator.EQUALS, "x", "field", "Unknown field"),
        ("properties.plan_", RuleOperator.EQUALS, "x", "field", "Unknown field"),
        ("properties.plan\n", RuleOperator.EQUALS, "x", "field", "Unknown field"),
        ("properties.é", RuleOperator.EQUALS, "x", "field", "Unknown field"),
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


def test_a_stored_rule_that_cannot_be_applied_is_an_error_not_a_field_error():
    # A rule saved before keys were checked: inclusion_q says which one, Django never sees it.
    with pytest.raises(ValidationError, match="Unknown field"):
        inclusion_q(mode=ALL, rules=[Rule("properties.plan__isnull", "is_set")])


def test_every_problem_of_a_rule_is_reported():
    with pytest.raises(ValidationError) as raised:
        validate_rule("nope", "nope", "")
    assert set(raised.value.message_dict) == {"field", "operator"}


# -- one contact at a time ----------------------------------------------------------------


def test_no_inclusion_list_lets_everyone_through():
    assert included(contact(), mode=NONE, rules=[Rule("country", "equals", "Mars")])


def test_text_comparisons_ignore_case():
    person = contact(country="Germany", title="VP Sales")
    assert included(person, mode=ALL, rules=[Rule("country", "equals", "GERMANY")])
    assert included(person, mode=ALL, rules=[Rule("title", "contains", "sales")])
    assert included(person, mode=ALL, rules=[Rule("title", "starts_with", "vp")])
    assert included(person, mode=ALL, rules=[Rule("country", "in", "France, germany")])


def test_all_needs_every_rule_and_any_needs_one():
    person = contact(country="Germany", lifecycle_stage="lead")
    rules = [Rule("country", "equals", "Germany"), Rule("lifecycle_stage", "equals", "customer")]
    assert not included(person, mode=ALL, rules=rules)
    assert included(person, mode=ANY, rules=rules)


def test_blank_values_are_unset_and_never_match_a_value():
    person = contact(country="", properties={"plan": None, "tier": ""})
    assert included(person, mode=ALL, rules=[Rule("country", "is_not_set")])
    assert included(person, mode=ALL, rules=[Rule("properties.plan", "is_not_set")])
    assert included(person, mode=ALL, rules=[Rule("properties.tier", "is_not_set")])
    assert included(person, mode=ALL, rules=[Rule("properties.gone", "is_not_set")])
    assert not included(person, mode=ALL, rules=[Rule("country", "contains", "a")])
    assert included(person, mode=ALL, rules=[Rule("country", "not_equals", "Germany")])


def test_property_values_compare_as_text():
    person = contact(properties={"score": 42, "trial": True, "plan": "Pro"})
    assert included(person, mode=ALL, rules=[Rule("properties.score", "equals", "42")])
    assert included(person, mode=ALL, rules=[Rule("properties.trial", "equals", "TRUE")])
    assert included(person, mode=ALL, rules=[Rule("properties.plan", "is_set")])


# -- inclusion_q (database) over a set of people ------------------------------------------

PEOPLE = [
    {"email": "a@acme.com", "country": "Germany", "lifecycle_stage": "lead",
     "properties": {"plan": "Pro", "score": 42, "trial": True, "isnull": "x", "in": 1}},
    {"email": "b@acme.com", "country": "germany", "lifecycle_stage": "customer",
     "properties": {"plan": "free", "trial": False, "contains": "Yes"}},
    {"email": "c@other.org", "country": "France", "title": "VP Sales",
     "properties": {"plan": None, "score": 7}},
    {"email": "d@other.org", "country": "", "properties": {"plan": ""}},
    {"email": "E@Example.COM", "country": "United States", "title": "CTO", "properties": {}},
]  # fmt: skip

# Each rule set with who it lets through (first letters of the emails) for "all" and "any".
RULE_SETS = [
    ([Rule("country", "equals", "GERMANY")], "ab", "ab"),
    ([Rule("country", "not_equals", "germany")], "cde", "cde"),
    ([Rule("country", "contains", "an")], "abc", "abc"),
    ([Rule("country", "not_contains", "an")], "de", "de"),
    ([Rule("email", "ends_with", "@ACME.com")], "ab", "ab"),
    ([Rule("email", "starts_with", "e@")], "e", "e"),
    ([Rule("country", "in", "france, United States")], "ce", "ce"),
    ([Rule("country", "is_set")], "abce", "abce"),
    ([Rule("country", "is_not_set")], "d", "d"),
    ([Rule("title", "is_not_set")], "abd", "abd"),
    ([Rule("properties.plan", "equals", "pro")], "a", "a"),
    ([Rule("properties.plan", "not_equals", "pro")], "bcde", "bcde"),
    ([Rule("properties.plan", "is_set")], "ab", "ab"),
    ([Rule("properties.plan", "is_not_set")], "cde", "cde"),
    ([Rule("properties.plan", "not_contains", "r")], "cde", "cde"),
    ([Rule("properties.plan", "in", "free,PRO")], "ab", "ab"),
    ([Rule("properties.score", "equals", "42")], "a", "a"),
    ([Rule("properties.score", "starts_with", "4")], "a", "a"),
    ([Rule("properties.trial", "equals", "true")], "a", "a"),
    ([Rule("properties.trial", "not_equals", "false")], "acde", "acde"),
    ([Rule("properties.missing", "not_equals", "x")], "abcde", "abcde"),
    # Keys named like Django lookups are keys, never lookups.
    ([Rule("properties.contains", "equals", "yes")], "b", "b"),
    ([Rule("properties.isnull", "is_set")], "a", "a"),
    ([Rule("properties.in", "is_not_set")], "bcde", "bcde"),
    ([Rule("properties.exact", "not_equals", "1")], "abcde", "abcde"),
    ([Rule("country", "equals", "germany"), Rule("properties.plan", "equals", "free")], "b", "ab"),
    ([Rule("title", "contains", "cto"), Rule("properties.score", "is_set")], "", "ace"),
    ([], "abcde", ""),
]


@pytest.fixture
def people(db):
    return [ContactFactory(**{"title": "", **fields}) for fields in PEOPLE]


@pytest.mark.parametrize(("rules", "with_all", "with_any"), RULE_SETS)
def test_database_filter_lets_the_right_contacts_through(people, rules, with_all, with_any):
    expected = {ALL: with_all, ANY: with_any, NONE: "abcde"}
    for mode, letters in expected.items():
        found = Contact.objects.filter(inclusion_q(mode=mode, rules=rules))
        assert {email[0].lower() for email in found.values_list("email", flat=True)} == set(
            letters
        ), mode


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


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (Rule("country", "equals", " US "), "country is US"),
        (Rule("lifecycle_stage", "not_equals", "CUSTOMER"), "lifecycle stage is not Customer"),
        (
            Rule("salesforce_object", "in", "lead, Contact"),
            "salesforce object is one of Lead, Contact",
        ),
        (Rule("properties.plan", "contains", "pro"), "properties.plan contains pro"),
        (Rule("email", "is_set"), "email is known"),
    ],
)
def test_a_rule_reads_as_people_say_it(rule, words):
    assert rule_words(rule) == words

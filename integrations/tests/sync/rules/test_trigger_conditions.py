"""Trigger conditions on a record as Salesforce returns it."""

import pytest

from integrations.choices import RuleOperator
from integrations.sync.rules.inclusion import Rule
from integrations.sync.rules.trigger_conditions import conditions_met, record_value

CASE = {
    "Id": "5008d0000000001AAA",
    "Status": "Closed",
    "IsClosed": True,
    "Priority__c": 3.0,
    "Subject": "Printer on fire",
    "SuppliedEmail": None,
    "Contact": {"Email": "Ada@Example.com"},
}


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"),
    [
        ("Status", RuleOperator.EQUALS, "closed", True),
        ("Status", RuleOperator.NOT_EQUALS, "Closed", False),
        ("IsClosed", RuleOperator.EQUALS, "true", True),
        ("IsClosed", RuleOperator.EQUALS, "false", False),
        ("Priority__c", RuleOperator.EQUALS, "3", True),
        ("Subject", RuleOperator.CONTAINS, "FIRE", True),
        ("Subject", RuleOperator.NOT_CONTAINS, "fire", False),
        ("Subject", RuleOperator.STARTS_WITH, "printer", True),
        ("Subject", RuleOperator.ENDS_WITH, "printer", False),
        ("Status", RuleOperator.IN, "New, Closed", True),
        ("Status", RuleOperator.IN, "New,Working", False),
        ("SuppliedEmail", RuleOperator.IS_SET, "", False),
        ("SuppliedEmail", RuleOperator.IS_NOT_SET, "", True),
        ("SuppliedEmail", RuleOperator.NOT_EQUALS, "x", True),
        ("Contact.Email", RuleOperator.ENDS_WITH, "@example.com", True),
        ("Account.Name", RuleOperator.IS_NOT_SET, "", True),
        ("status", RuleOperator.EQUALS, "Closed", True),
    ],
)
def test_condition_on_record(field, operator, value, expected):
    assert conditions_met(record=CASE, mode="all", conditions=[Rule(field, operator, value)]) is (
        expected
    )


def test_all_needs_every_condition_and_any_one():
    rules = [Rule("Status", RuleOperator.EQUALS, "Closed"), Rule("Subject", "equals", "Other")]
    assert conditions_met(record=CASE, mode="all", conditions=rules) is False
    assert conditions_met(record=CASE, mode="any", conditions=rules) is True


def test_no_conditions_all_passes_any_does_not():
    assert conditions_met(record=CASE, mode="all", conditions=[]) is True
    assert conditions_met(record=CASE, mode="any", conditions=[]) is False


def test_parent_path_reads_nested_relationship():
    assert record_value(CASE, "Contact.Email") == "Ada@Example.com"
    assert record_value({"Contact": None}, "Contact.Email") is None

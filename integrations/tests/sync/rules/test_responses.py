"""Where a response's values come from, and when conditions hold (plain data)."""

from types import SimpleNamespace

import pytest

from integrations.choices import RuleOperator
from integrations.sync.rules.responses import (
    embedded_value,
    groups_hold,
    operator_holds,
    salesforce_value,
    source_value,
)


def response(answers=None, embedded=None):
    invitation = SimpleNamespace(embedded_data=embedded or {}, email="k@example.com")
    return SimpleNamespace(pk=7, answers=answers or {}, invitation=invitation)


def condition(source, key, operator, value=""):
    return SimpleNamespace(source=source, key=key, operator=operator, value=value)


def test_sources():
    given = response({"nps": 9}, {"Case.Id": "500A", "Contact": {"Email": "c@example.com"}})

    assert source_value("answer", "nps", response=given) == 9
    assert source_value("embedded", "Case.Id", response=given) == "500A"
    assert source_value("embedded", "Contact.Email", response=given) == "c@example.com"
    assert source_value("embedded", "Contact.Phone", response=given) is None
    assert source_value("constant", "Web", response=given) == "Web"
    assert source_value("response_id", "", response=given) == "crmbridge-response-7"
    assert source_value("recipient_email", "", response=given) == "k@example.com"


def test_embedded_flat_key_wins_over_path():
    assert embedded_value({"A.B": 1, "A": {"B": 2}}, "A.B") == 1


def test_multiple_choice_is_a_multi_select_value():
    assert salesforce_value(["Phone", "Email"]) == "Phone;Email"
    assert salesforce_value(9) == 9


@pytest.mark.parametrize(
    ("operator", "actual", "expected", "holds"),
    [
        (RuleOperator.EQUALS, "Price", "price", True),
        (RuleOperator.EQUALS, 9, "9", True),
        (RuleOperator.EQUALS, 9.0, "9", True),
        (RuleOperator.NOT_EQUALS, "Price", "Service", True),
        (RuleOperator.NOT_EQUALS, None, "x", True),
        (RuleOperator.CONTAINS, "too slow", "SLOW", True),
        (RuleOperator.NOT_CONTAINS, "fast", "slow", True),
        (RuleOperator.STARTS_WITH, "Service", "serv", True),
        (RuleOperator.ENDS_WITH, "Service", "ice", True),
        (RuleOperator.IN, 6, "0, 1, 2, 3, 4, 5, 6", True),
        (RuleOperator.IN, 7, "0,1,2,3,4,5,6", False),
        (RuleOperator.IN, ["Phone", "Email"], "email", True),
        (RuleOperator.EQUALS, ["Phone", "Email"], "phone", True),
        (RuleOperator.IS_SET, 0, "", True),
        (RuleOperator.IS_SET, "", "", False),
        (RuleOperator.IS_SET, [], "", False),
        (RuleOperator.IS_NOT_SET, None, "", True),
    ],
)
def test_operators(operator, actual, expected, holds):
    assert operator_holds(operator, actual, expected) is holds


def test_groups_all_and_any():
    given = response({"nps": 3, "reason": "Price"})
    low = condition("answer", "nps", RuleOperator.IN, "0,1,2,3")
    price = condition("answer", "reason", RuleOperator.EQUALS, "Price")
    service = condition("answer", "reason", RuleOperator.EQUALS, "Service")

    assert groups_hold([], response=given)
    assert groups_hold([("all", [])], response=given)
    assert groups_hold([("all", [low, price])], response=given)
    assert not groups_hold([("all", [low, service])], response=given)
    assert groups_hold([("any", [service, price])], response=given)
    assert not groups_hold([("all", [low]), ("any", [service])], response=given)

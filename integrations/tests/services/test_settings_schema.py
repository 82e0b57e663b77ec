"""Each setting's check comes from its model field: booleans, choices, bounded numbers, text."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from integrations.models.sync_settings import SETTING_NAMES
from integrations.services.settings_schema import CHECKS, _check_for, setting_error


def test_every_setting_has_a_check():
    assert set(CHECKS) == set(SETTING_NAMES)


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_setting_takes_true_or_false(value):
    assert setting_error("task_sync", value) is None


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_a_boolean_setting_refuses_anything_else(value):
    assert setting_error("task_sync", value) == "Use true or false."


def test_a_choice_setting_lists_the_model_fields_choices():
    assert setting_error("inclusion_mode", "any") is None
    assert setting_error("inclusion_mode", "some") == "Use one of: none, all, any."
    assert setting_error("new_record_type", "Account") == "Use one of: Lead, Contact."


@pytest.mark.parametrize("value", [1, 15, 1440])
def test_a_number_setting_takes_whole_numbers_within_its_validators(value):
    assert setting_error("sync_interval_minutes", value) is None


@pytest.mark.parametrize("value", [0, 1441, True, 2.5, "15"])
def test_a_number_setting_names_its_bounds_and_unit(value):
    message = "Use a whole number of minutes from 1 to 1440."
    assert setting_error("sync_interval_minutes", value) == message


def test_the_activity_field_map_has_its_own_shape_check():
    good = {"visits": {"duration_seconds": "Duration__c"}, "rooms": {"room_url": "Room__c"}}
    assert setting_error("activity_field_map", good) is None
    bad_kind = setting_error("activity_field_map", {"calls": {}})
    assert "“calls” is not a kind" in bad_kind
    bad_attribute = setting_error("activity_field_map", {"rooms": {"document_url": "X__c"}})
    assert "“document_url” is not a rooms attribute" in bad_attribute
    assert "not a Salesforce field" in setting_error(
        "activity_field_map", {"links": {"visitors": "1"}}
    )


def test_write_back_items_are_a_list_of_activity_kinds():
    assert setting_error("write_back_items", ["inmail", "call"]) is None
    assert setting_error("write_back_items", []) is None
    assert "Use a list of any of: inmail, message, note, call." == setting_error(
        "write_back_items", ["email"]
    )
    assert setting_error("write_back_items", ["call", "call"]) == "Name each kind once."


def test_a_text_field_takes_a_string_up_to_its_length():
    field = models.CharField(max_length=4)
    field.name = "region"

    check = _check_for(field)

    assert check("EMEA") is None
    assert check("Europe") == "Use a string of at most 4 characters."


def test_a_field_without_a_derivable_check_is_a_configuration_error():
    field = models.JSONField()
    field.name = "extra_map"

    with pytest.raises(ImproperlyConfigured, match="SHAPE_CHECKS"):
        _check_for(field)


def test_a_number_without_bounds_of_its_own_takes_what_its_column_holds():
    field = models.PositiveIntegerField()
    field.name = "retries"

    check = _check_for(field)

    assert check(0) is None
    assert check(-1).startswith("Use a whole number from 0 to ")

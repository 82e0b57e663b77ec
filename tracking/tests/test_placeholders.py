"""The survey email's {placeholder} templates: checked, then rendered."""

import pytest

from tracking.placeholders import placeholders_errors, placeholders_render


@pytest.mark.parametrize(
    "template",
    ["Hi {Contact.FirstName}", "{survey_url}", "{a_1.b2}", "{{literal}}", "no placeholders"],
)
def test_well_formed_templates_have_no_errors(template):
    assert placeholders_errors(template) == []


@pytest.mark.parametrize(
    ("template", "stray"),
    [("Hi {name", "{"), ("Hi name}", "}"), ("{first name}", "{"), ("{}", "{"), ("{a-b}", "{")],
)
def test_malformed_braces_are_errors(template, stray):
    (error,) = placeholders_errors(template)[:1]
    assert error.startswith(f"Stray “{stray}”")


def test_values_come_from_flat_keys_or_nested_mappings_and_missing_ones_are_empty():
    values = {"Contact.FirstName": "Ada", "Case": {"Number": 7}, "Empty": None}
    template = "{Contact.FirstName}/{Case.Number}/{Case}/{Empty}/{Unknown.Name}/{{x}}"
    assert placeholders_render(template, values) == "Ada/7////{x}"


def test_the_preview_shows_names_without_a_value():
    assert placeholders_render("Hi {name}", {}, show_missing=True) == "Hi «name»"

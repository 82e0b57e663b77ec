"""Settings documents: names are matched whole, so a stray newline is an error, not a query."""

import pytest
from django.core.exceptions import ValidationError

from integrations.models import FieldMapping
from integrations.services.settings import settings_import
from integrations.services.settings_schema import activity_field_map_error

pytestmark = pytest.mark.django_db


def mapping(**fields):
    return {
        "salesforce_object": "Lead",
        "local_field": "title",
        "salesforce_field": "Title",
        "rule": "two_way",
        **fields,
    }


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (mapping(salesforce_field="Title\n"), "not an API name"),
        (mapping(local_field="properties.plan\n"), "property key"),
    ],
)
def test_trailing_newline_in_a_name_is_refused_without_an_org(entry, message):
    before = list(FieldMapping.objects.values_list("salesforce_field", flat=True))
    with pytest.raises(ValidationError) as raised:
        settings_import(document={"mappings": [entry]}, client=None)
    assert message in " ".join(raised.value.message_dict["mappings[0]"])
    assert list(FieldMapping.objects.values_list("salesforce_field", flat=True)) == before


@pytest.mark.parametrize(
    "value",
    [
        {"visits": {"duration_seconds\n": "Duration__c"}},
        {"visits": {"duration_seconds": "Duration__c\n"}},
        {"visits\n": {"duration_seconds": "Duration__c"}},
    ],
)
def test_activity_field_map_names_are_matched_whole(value):
    assert activity_field_map_error(value) is not None

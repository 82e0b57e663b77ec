"""SECTIONS is the one list of settings: the console, its form and settings as code agree."""

import pytest
from django.contrib import admin

from integrations.admin.settings_form import SyncSettingsForm
from integrations.models import SyncSettings
from integrations.models.sync_settings import SECTIONS, SETTING_NAMES
from integrations.services.settings import settings_export

NOT_SETTINGS = {"id", "updated_at"}


def model_settings() -> set[str]:
    return {field.name for field in SyncSettings._meta.concrete_fields} - NOT_SETTINGS


def test_every_setting_of_the_model_is_in_exactly_one_section():
    assert sorted(SETTING_NAMES) == sorted(model_settings())
    assert len(SETTING_NAMES) == len(set(SETTING_NAMES))


def test_every_section_has_a_title_a_description_and_fields():
    for section in SECTIONS:
        assert section.title
        assert section.description
        assert section.fields


@pytest.mark.parametrize("name", SETTING_NAMES)
def test_every_setting_has_help_text(name):
    assert SyncSettings._meta.get_field(name).help_text


def test_console_sections_are_the_sections():
    fieldsets = admin.site._registry[SyncSettings].fieldsets
    assert [(title, options["fields"]) for title, options in fieldsets] == [
        (section.title, list(section.fields)) for section in SECTIONS
    ]


def test_the_form_edits_every_setting():
    assert list(SyncSettingsForm.base_fields) == list(SETTING_NAMES)


@pytest.mark.django_db
def test_the_export_has_every_setting_in_section_order():
    document = settings_export()
    keys = [key for key in document if key not in ("version", "inclusion_rules", "mappings")]
    assert keys == list(SETTING_NAMES)

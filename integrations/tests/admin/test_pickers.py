"""The sync settings page's field pickers: local and Salesforce fields as choices."""

import re

import pytest

from integrations.models import FieldMapping, InclusionRule, SyncSettings
from integrations.tests.test_settings_console import (
    PAGE,
    add_row,
    errors_of,
    mapping_row,
    page_data,
)

pytestmark = pytest.mark.django_db


def mapping_forms(client) -> list:
    context = client.get(PAGE).context
    inline = next(i for i in context["inline_admin_formsets"] if i.formset.prefix == "mappings")
    return inline.formset.forms


def options(html: str, salesforce_object: str) -> dict[str, str]:
    """value -> the option's whole tag, of one object's options in a rendered select."""
    tags = re.findall(r'(<option value="([^"]*)"[^>]*>)', html)
    return {
        value: tag
        for tag, value in tags
        if f'data-object="{salesforce_object}"' in tag or "data-object" not in tag
    }


def salesforce_picker(client, salesforce_object: str, local_field: str) -> str:
    form = mapping_forms(client)[mapping_row(salesforce_object, local_field)]
    return str(form["salesforce_field"])


def test_salesforce_fields_are_the_orgs_fields_that_fit_the_row(admin_client, connection):
    picker = salesforce_picker(admin_client, "Lead", "first_name")

    found = options(picker, "Lead")
    assert picker.startswith("<select")
    assert "selected" in found["FirstName"]
    assert "hidden" not in found["LastName"]
    assert "hidden" in found["NumberOfEmployees"]  # an int cannot hold a first name
    assert 'data-object="Lead"' in found["NumberOfEmployees"]
    assert "First Name (FirstName, string)" in picker
    assert "Address" not in found  # compound fields hold no local field


def test_a_contact_row_selects_the_contact_field_of_a_shared_name(admin_client, connection):
    picker = salesforce_picker(admin_client, "Contact", "email")

    selected = re.findall(r'<option value="Email"[^>]*>', picker)
    assert [tag for tag in selected if "selected" in tag] == [
        next(tag for tag in selected if 'data-object="Contact"' in tag)
    ]


def test_a_stored_field_the_org_lacks_stays_selected(admin_client, connection):
    FieldMapping.objects.create(
        salesforce_object="Lead", local_field="properties.shoe", salesforce_field="Shoe__c"
    )

    picker = salesforce_picker(admin_client, "Lead", "properties.shoe")

    assert "selected" in options(picker, "Lead")["Shoe__c"]
    assert "Shoe__c (not in the org&#x27;s fields)" in picker


def test_a_new_mapping_picked_from_the_list_is_saved(admin_client, connection):
    data = page_data(admin_client)
    add_row(data, "mappings", salesforce_object="Lead", local_field="properties.rating",
            salesforce_field="Rating", rule="two_way")  # fmt: skip

    response = admin_client.post(PAGE, data)

    assert response.status_code == 302
    assert FieldMapping.objects.filter(local_field="properties.rating", salesforce_field="Rating")


def test_without_a_connection_the_page_says_why_fields_are_typed(admin_client):
    html = admin_client.get(PAGE).content.decode()

    assert "Salesforce is not connected, so its field list is unavailable" in html
    assert "connect Salesforce first" in html
    form = mapping_forms(admin_client)[0]
    assert str(form["salesforce_field"]).startswith('<input type="text"')


def test_when_describe_fails_the_page_says_so_and_still_renders(admin_client, emulator, connection):
    emulator.faults.inject("missing", times=10, path_contains="/describe")

    response = admin_client.get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The Salesforce field list is unavailable: reading the fields failed" in html
    assert str(mapping_forms(admin_client)[0]["salesforce_field"]).startswith("<input")


def test_local_and_rule_fields_suggest_the_model_fields_and_properties(admin_client):
    html = admin_client.get(PAGE).content.decode()

    local = re.search(r'<datalist id="crmb-local-fields">(.*?)</datalist>', html).group(1)
    rule = re.search(r'<datalist id="crmb-rule-fields">(.*?)</datalist>', html).group(1)
    assert '<option value="first_name">' in local
    assert '<option value="website">' in local
    assert '<option value="properties.">' in local
    assert '<option value="lifecycle_stage">' in rule
    assert '<option value="properties.">' in rule
    assert 'list="crmb-local-fields"' in html
    assert 'list="crmb-rule-fields"' in html


def test_an_unknown_local_field_is_a_form_error_even_without_a_connection(admin_client):
    data = page_data(admin_client)
    add_row(data, "mappings", salesforce_object="Lead", local_field="shoe_size",
            salesforce_field="Rating", rule="two_way")  # fmt: skip

    response = admin_client.post(PAGE, data)

    assert "“shoe_size” is not a local field of Lead" in errors_of(response)
    assert not FieldMapping.objects.filter(local_field="shoe_size").exists()


def test_an_unknown_rule_field_is_a_form_error(admin_client):
    data = page_data(admin_client)
    data["inclusion_mode"] = "all"
    add_row(data, "rules", field="shoe_size", operator="equals", value="42")

    response = admin_client.post(PAGE, data)

    assert "Unknown field “shoe_size”" in errors_of(response)
    assert not InclusionRule.objects.exists()


def picklists_help(client) -> str:
    return client.get(PAGE).context["adminform"].form.fields["state_country_picklists"].help_text


def test_picklists_help_says_the_org_has_none(admin_client, connection):
    assert picklists_help(admin_client).startswith(
        "Your org has no state and country picklists: leave this off."
    )


def test_picklists_help_says_the_org_uses_them(admin_client, emulator, connection):
    emulator.set_state_country_picklists(True)

    assert picklists_help(admin_client).startswith("Your org uses state and country picklists")


def test_picklists_help_without_a_connection_says_to_connect(admin_client):
    assert picklists_help(admin_client).startswith("Connect Salesforce to see whether")
    assert SyncSettings.load().state_country_picklists is False


@pytest.mark.browser
def test_pickers_show_the_fitting_fields_and_save_in_the_browser(browser_page, connection):
    page = browser_page
    page.goto(PAGE)
    rows = page.locator("tr.form-row.dynamic-mappings")
    row = rows.last  # the empty row for a new mapping
    row.locator("select[name$='-salesforce_object']").select_option("Lead")
    row.locator("input[name$='-local_field']").fill("properties.rating")
    row.locator("input[name$='-local_field']").dispatch_event("change")
    picker = row.locator("select.crmb-sf-field")

    visible = picker.locator("option:not([hidden])").all_inner_texts()
    assert any("(Rating, picklist)" in text for text in visible)
    assert not any("(Address, address)" in text for text in visible)
    assert picker.locator("option[data-object='Account']:not([hidden])").count() == 0
    picker.select_option("Rating")
    page.locator("input[name=_save]").click()

    assert "Sync settings saved" in page.locator(".messagelist .success").inner_text()
    assert FieldMapping.objects.filter(local_field="properties.rating", salesforce_field="Rating")

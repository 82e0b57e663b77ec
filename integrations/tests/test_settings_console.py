"""The sync settings page of the console: one page in sections, saved through the service."""

import pytest
from django import forms
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_q.models import Schedule

from integrations.models import FieldMapping, InclusionRule, SyncSettings
from integrations.schedules import SYNC_SCHEDULE
from tracking.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:integrations_syncsettings_change", args=[1])
PREVIEW = reverse("admin:integrations_syncsettings_preview")


def page_data(client) -> dict:
    """The page's form as a browser would post it unchanged (without the empty extra rows)."""
    context = client.get(PAGE).context
    form = context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.show_hidden_initial:
            data[f"initial-{name}"] = value
        if isinstance(field.widget, forms.MultiWidget):
            parts = zip(field.widget.widgets_names, field.widget.decompress(value), strict=True)
            data.update({f"{name}{suffix}": part for suffix, part in parts})
        elif value is True:
            data[name] = "on"
        elif value is None:
            data[name] = ""  # an empty input, as a browser posts it
        elif value is not False:
            data[name] = value
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        prefix, initial = formset.prefix, str(formset.initial_form_count())
        data.update({f"{prefix}-TOTAL_FORMS": initial, f"{prefix}-INITIAL_FORMS": initial})
        for row in formset.initial_forms:
            for name in row.fields:
                value = row[name].value()
                data[f"{row.prefix}-{name}"] = "" if value is None else getattr(value, "pk", value)
    return data


def add_row(data: dict, prefix: str, **fields) -> dict:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return data


def mapping_row(salesforce_object: str, local_field: str) -> int:
    """The form index of a stored mapping (rows follow the admin's order)."""
    ordered = FieldMapping.objects.order_by("salesforce_object", "id")
    keys = [(item.salesforce_object, item.local_field) for item in ordered]
    return keys.index((salesforce_object, local_field))


def errors_of(response) -> str:
    assert response.status_code == 200, "the form should have been shown again"
    context = response.context
    texts = [str(context["adminform"].form.errors)]
    for inline in context["inline_admin_formsets"]:
        texts += [str(inline.formset.errors), str(inline.formset.non_form_errors())]
    return " ".join(texts)


def test_changelist_redirects_to_the_single_settings_page(admin_client):
    response = admin_client.get(reverse("admin:integrations_syncsettings_changelist"))
    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_page_has_every_section_with_help_and_the_next_run(admin_client):
    html = admin_client.get(PAGE).content.decode()
    for section in (
        "Sync with Salesforce", "Account and opportunity sync", "Task sync", "Inclusion list",
        "Activity data", "Records created in Salesforce", "New record type",
        "Automatic lifecycle stage transitions", "State and country picklists",
        "Records deleted in Salesforce", "Sync interval", "Field mappings",
        "Preview matching contacts",
    ):  # fmt: skip
        assert section in html
    next_run = Schedule.objects.get(name=SYNC_SCHEDULE).next_run
    assert f"next run {next_run:%Y-%m-%d %H:%M} UTC" in html
    assert "Salesforce is not connected" in html


def test_settings_cannot_be_added_or_deleted(admin_client):
    assert admin_client.get(reverse("admin:integrations_syncsettings_add")).status_code == 403
    delete = reverse("admin:integrations_syncsettings_delete", args=[1])
    assert admin_client.post(delete).status_code == 403


def test_saving_applies_settings_rules_and_mappings(
    admin_client, connection, django_capture_on_commit_callbacks
):
    # given
    data = page_data(admin_client)
    data.update(sync_enabled="on", inclusion_mode="all", new_record_type="Contact",
                sync_interval_minutes="20")  # fmt: skip
    add_row(data, "rules", field="country", operator="equals", value="Germany")
    add_row(data, "mappings", salesforce_object="Lead", local_field="properties.rating",
            salesforce_field="Rating", rule="prefer_salesforce")  # fmt: skip
    data[f"mappings-{mapping_row('Lead', 'phone')}-DELETE"] = "on"

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(PAGE, data)

    # then
    assert response.status_code == 302
    settings = SyncSettings.load()
    assert (settings.sync_enabled, settings.inclusion_mode, settings.new_record_type) == (
        True, "all", "Contact",
    )  # fmt: skip
    assert list(InclusionRule.objects.values_list("field", "operator", "value")) == [
        ("country", "equals", "Germany")
    ]
    assert FieldMapping.objects.filter(local_field="properties.rating", rule="prefer_salesforce")
    assert list(FieldMapping.objects.filter(local_field="phone").values_list(
        "salesforce_object", flat=True)) == ["Contact"]  # fmt: skip
    assert Schedule.objects.get(name=SYNC_SCHEDULE).minutes == 20
    message = LogEntry.objects.get(object_id="1").get_change_message()
    assert "inclusion rules and field mappings" in message
    assert "Activity field map" not in message


def test_picklists_cannot_be_turned_on_for_an_org_without_them(admin_client, connection):
    data = page_data(admin_client)
    data["state_country_picklists"] = "on"

    response = admin_client.post(PAGE, data)

    assert "no state and country picklists" in errors_of(response)
    assert SyncSettings.load().state_country_picklists is False


def test_picklists_can_be_turned_on_for_an_org_with_them(admin_client, connection, emulator):
    emulator.set_state_country_picklists(True)
    data = page_data(admin_client)
    data["state_country_picklists"] = "on"

    response = admin_client.post(PAGE, data)

    assert response.status_code == 302
    assert SyncSettings.load().state_country_picklists is True


def test_picklists_need_a_connection_to_be_turned_on(admin_client):
    data = page_data(admin_client)
    data["state_country_picklists"] = "on"

    response = admin_client.post(PAGE, data)

    assert "Connect Salesforce first" in errors_of(response)
    assert SyncSettings.load().state_country_picklists is False


def test_unchanged_mappings_need_no_connection(admin_client):
    data = page_data(admin_client)
    data["task_sync"] = "on"

    response = admin_client.post(PAGE, data)

    assert response.status_code == 302
    assert SyncSettings.load().task_sync is True


def test_new_mapping_without_a_connection_asks_to_connect_first(admin_client):
    data = page_data(admin_client)
    add_row(data, "mappings", salesforce_object="Lead", local_field="properties.x",
            salesforce_field="Rating", rule="two_way")  # fmt: skip

    response = admin_client.post(PAGE, data)

    assert "Connect Salesforce first" in errors_of(response)
    assert not FieldMapping.objects.filter(local_field="properties.x").exists()


@pytest.mark.parametrize(
    ("local", "remote", "rule", "message"),
    [
        ("properties.x", "Shoe_Size__c", "two_way", "Lead has no field “Shoe_Size__c”"),
        ("properties.x", "rating", "two_way", "the API name is Rating"),
        ("first_name", "NumberOfEmployees", "two_way", "is a field of type int"),
        ("email", "Phone", "two_way", "cannot hold email"),
        ("properties.x", "IsConverted", "two_way", "cannot be written"),
    ],
)
def test_bad_mapping_is_a_form_error_against_the_orgs_describe(
    admin_client, connection, local, remote, rule, message
):
    data = page_data(admin_client)
    if local == "email":
        row = mapping_row("Lead", "email")
        data[f"mappings-{row}-salesforce_field"] = remote
    else:
        add_row(data, "mappings", salesforce_object="Lead", local_field=local,
                salesforce_field=remote, rule=rule)  # fmt: skip

    response = admin_client.post(PAGE, data)

    assert message in errors_of(response)
    assert not FieldMapping.objects.filter(local_field=local, salesforce_field=remote).exists()


def test_changing_a_mapping_rule_is_checked_and_saved(admin_client, connection):
    data = page_data(admin_client)
    data[f"mappings-{mapping_row('Lead', 'title')}-rule"] = "always_salesforce"

    response = admin_client.post(PAGE, data)

    assert response.status_code == 302
    assert set(FieldMapping.objects.filter(local_field="title").values_list("rule", flat=True)) == {
        "always_salesforce", "two_way",
    }  # fmt: skip


def test_duplicate_mapping_is_a_form_error(admin_client, connection):
    data = page_data(admin_client)
    add_row(data, "mappings", salesforce_object="Lead", local_field="properties.mail",
            salesforce_field="Email", rule="two_way")  # fmt: skip

    response = admin_client.post(PAGE, data)

    assert "already exists" in errors_of(response)


def test_inclusion_list_without_rules_is_a_form_error(admin_client):
    data = page_data(admin_client)
    data["inclusion_mode"] = "any"

    response = admin_client.post(PAGE, data)

    assert "Add at least one rule" in errors_of(response)
    assert SyncSettings.load().inclusion_mode == "none"


def test_invalid_rule_is_a_form_error(admin_client):
    data = page_data(admin_client)
    data["inclusion_mode"] = "all"
    add_row(data, "rules", field="lifecycle_stage", operator="equals", value="vip")

    response = admin_client.post(PAGE, data)

    assert "not vip" in errors_of(response)
    assert not InclusionRule.objects.exists()


def test_custom_task_fields_need_a_field_map(admin_client):
    data = page_data(admin_client)
    data["activity_storage"] = "custom_fields"

    response = admin_client.post(PAGE, data)

    assert "Map at least one activity attribute" in errors_of(response)


def test_malformed_activity_field_map_is_a_form_error(admin_client):
    data = page_data(admin_client)
    data["activity_field_map_visits_duration_seconds"] = "not a field"

    response = admin_client.post(PAGE, data)

    assert "“not a field” is not a Salesforce field API name." in errors_of(response)


# -- preview ------------------------------------------------------------------------------


@pytest.fixture
def contacts(db):
    for number in range(12):
        ContactFactory(email=f"de{number:02d}@example.com", country="Germany")
    ContactFactory(email="fr@example.com", country="France")


def preview_data(client, **rule) -> dict:
    data = page_data(client)
    data["inclusion_mode"] = "all"
    return add_row(data, "rules", **rule)


def test_preview_shows_count_and_a_sample_of_ten_without_saving(admin_client, contacts):
    data = preview_data(admin_client, field="country", operator="equals", value="germany")

    response = admin_client.post(PREVIEW, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<strong id="inclusion-preview-count">12</strong> contacts match' in html
    assert html.count("<li>") == 10
    assert "de00@example.com" in html
    assert "fr@example.com" not in html
    assert SyncSettings.load().inclusion_mode == "none"
    assert not InclusionRule.objects.exists()


def test_preview_answers_json(admin_client, contacts):
    data = preview_data(admin_client, field="country", operator="not_equals", value="Germany")

    answer = admin_client.post(PREVIEW, data, headers={"Accept": "application/json"}).json()

    assert answer["count"] == 1
    assert [item["email"] for item in answer["sample"]] == ["fr@example.com"]


def test_preview_without_inclusion_list_counts_everyone(admin_client, contacts):
    data = page_data(admin_client)
    response = admin_client.post(PREVIEW, data, headers={"Accept": "application/json"})
    assert response.json()["count"] == 13


def test_preview_reports_invalid_rules(admin_client, contacts):
    data = preview_data(admin_client, field="shoe_size", operator="equals", value="42")

    response = admin_client.post(PREVIEW, data, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert "Unknown field" in response.json()["errors"][0]


def test_preview_refuses_a_property_key_with_a_double_underscore(admin_client, contacts):
    data = preview_data(admin_client, field="properties.plan__isnull", operator="is_set")

    response = admin_client.post(PREVIEW, data, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert "Unknown field" in response.json()["errors"][0]


def test_preview_needs_change_permission(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.post(PREVIEW, {}).status_code == 403


def test_preview_rejects_an_unknown_mode(admin_client):
    data = page_data(admin_client)
    data["inclusion_mode"] = "some"

    response = admin_client.post(PREVIEW, data, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert response.json()["errors"] == ["Choose an inclusion list mode."]

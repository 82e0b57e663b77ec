"""`crm_settings export` / `import`: settings as code, all or nothing."""

import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from integrations.models import FieldMapping, SyncSettings
from integrations.services.settings import DOCUMENT_KEYS, settings_export
from integrations.sync.mapping_validation import default_mappings

pytestmark = pytest.mark.django_db


def export() -> dict:
    out = io.StringIO()
    call_command("crm_settings", "export", stdout=out)
    return json.loads(out.getvalue())


def write(tmp_path, document) -> str:
    path = tmp_path / "settings.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def run_import(tmp_path, document) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("crm_settings", "import", write(tmp_path, document), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rejected(tmp_path, document) -> str:
    """Import a wrong document; return the problems it printed."""
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("crm_settings", "import", write(tmp_path, document), stderr=err)
    return err.getvalue()


def customised() -> dict:
    document = export()
    document.update(
        sync_enabled=True,
        account_sync=True,
        opportunity_sync=True,
        task_sync=True,
        sync_visits=False,
        sync_links=True,
        sync_rooms=False,
        unmatched_create_leads=True,
        unmatched_create_open_tasks=True,
        write_back=True,
        write_back_items=["message", "call"],
        inclusion_mode="any",
        inclusion_rules=[
            {"field": "lifecycle_stage", "operator": "in", "value": "lead,customer"},
            {"field": "properties.plan", "operator": "equals", "value": "Pro"},
        ],
        activity_storage="custom_fields",
        activity_field_map={
            "visits": {"duration_seconds": "Duration_Seconds__c"},
            "rooms": {"room_url": "Room_URL__c"},
        },
        create_from_leads=False,
        create_from_contacts=True,
        new_record_type="Contact",
        lifecycle_on_closed_won=False,
        state_country_picklists=True,
        delete_on_lead_deleted=True,
        delete_on_contact_deleted=False,
        sync_interval_minutes=30,
    )
    document["mappings"] = [
        *[item for item in document["mappings"] if item["local_field"] != "phone"],
        {"salesforce_object": "Lead", "local_field": "properties.score",
         "salesforce_field": "NumberOfEmployees", "rule": "always_salesforce"},
    ]  # fmt: skip
    return document


def test_export_prints_every_documented_key():
    document = export()
    assert set(document) == DOCUMENT_KEYS
    assert document["version"] == 1
    assert document["sync_interval_minutes"] == 15
    assert document["inclusion_mode"] == "none"
    assert document["inclusion_rules"] == []
    assert len(document["mappings"]) == len(default_mappings())


def test_export_to_a_file(tmp_path):
    path = tmp_path / "out.json"
    call_command("crm_settings", "export", "--output", str(path), stderr=io.StringIO())
    assert json.loads(path.read_text()) == export()


def test_round_trip_reproduces_every_setting(tmp_path):
    # given settings changed everywhere and exported
    document = customised()
    run_import(tmp_path, document)
    exported = export()

    # when the export is imported into a fresh install
    FieldMapping.objects.all().delete()
    SyncSettings.objects.all().delete()
    out, _ = run_import(tmp_path, exported)

    # then
    assert "imported" in out
    assert export() == exported
    assert exported["new_record_type"] == "Contact"
    assert exported["inclusion_rules"] == document["inclusion_rules"]


def test_import_with_errors_changes_nothing_and_lists_every_problem(tmp_path):
    before = export()
    document = customised()
    document.update(
        sync_enabled="yes",
        new_record_type="Account",
        sync_interval_minutes=0,
        surprise=1,
        inclusion_rules=[{"field": "shoe_size", "operator": "equals", "value": ""}],
    )
    document["mappings"].append(
        {"salesforce_object": "Lead", "local_field": "email", "salesforce_field": "Email2",
         "rule": "two_way"}
    )  # fmt: skip

    problems = rejected(tmp_path, document)

    for path in (
        "sync_enabled:",
        "new_record_type:",
        "sync_interval_minutes:",
        "surprise: Unknown key.",
        "inclusion_rules[0].field:",
        "inclusion_rules[0].value:",
        f"mappings[{len(document['mappings']) - 1}]: Lead maps “email” twice",
    ):
        assert path in problems
    assert export() == before


def test_import_checks_mappings_against_the_connected_org(tmp_path, connection):
    document = export()
    document["mappings"] = [
        {"salesforce_object": "Lead", "local_field": "title", "salesforce_field": "Job__c",
         "rule": "two_way"},
        {"salesforce_object": "Lead", "local_field": "first_name",
         "salesforce_field": "NumberOfEmployees", "rule": "two_way"},
        {"salesforce_object": "Contact", "local_field": "last_name", "salesforce_field": "Name",
         "rule": "two_way"},
    ]  # fmt: skip

    problems = rejected(tmp_path, document)

    assert "mappings[0]: Lead has no field “Job__c”" in problems
    assert "mappings[1]: Lead.NumberOfEmployees is a field of type int" in problems
    assert "mappings[2]: Contact.Name cannot be written" in problems
    assert FieldMapping.objects.count() == len(default_mappings())


def test_import_of_valid_mappings_with_a_connected_org(tmp_path, connection):
    document = export()
    document["mappings"].append(
        {"salesforce_object": "Lead", "local_field": "properties.rating",
         "salesforce_field": "Rating", "rule": "prefer_salesforce"}
    )  # fmt: skip

    out, err = run_import(tmp_path, document)

    assert "imported" in out
    assert "not connected" not in err.lower()
    assert FieldMapping.objects.filter(local_field="properties.rating").exists()


def test_import_without_a_connection_says_mappings_were_not_checked(tmp_path):
    _, err = run_import(tmp_path, export())
    assert "No Salesforce org is connected" in err


def test_partial_document_keeps_the_keys_it_leaves_out(tmp_path):
    run_import(tmp_path, {"sync_interval_minutes": 45})
    document = export()
    assert document["sync_interval_minutes"] == 45
    assert len(document["mappings"]) == len(default_mappings())


def test_inclusion_mode_without_rules_is_rejected(tmp_path):
    problems = rejected(tmp_path, {"inclusion_mode": "all", "inclusion_rules": []})
    assert "inclusion_rules: Add at least one rule" in problems


def test_invalid_json_is_reported(tmp_path):
    with pytest.raises(CommandError, match="not valid JSON"):
        run_import(tmp_path, "{nope")


def test_a_document_must_be_an_object(tmp_path):
    problems = rejected(tmp_path, [1, 2])
    assert "document: The settings document must be a JSON object." in problems


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("crm_settings", "import", str(tmp_path / "missing.json"))


def test_import_reads_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"task_sync": True})))
    call_command("crm_settings", "import", "-", stdout=io.StringIO(), stderr=io.StringIO())
    assert settings_export()["task_sync"] is True


def documented() -> str:
    return (settings.BASE_DIR / "docs" / "configuration.md").read_text(encoding="utf-8")


def test_every_key_is_documented():
    table = documented()
    for key in [*DOCUMENT_KEYS, "field", "operator", "value", "salesforce_object", "rule"]:
        assert f"| `{key}` |" in table


def test_the_documented_example_imports(tmp_path, connection, emulator):
    emulator.set_state_country_picklists(True)  # the example turns them on
    example = re.search(r"```json\n(.*?)```", documented(), re.S).group(1)

    run_import(tmp_path, json.loads(example))

    assert export() == json.loads(example)


def test_picklists_are_refused_for_an_org_without_them(tmp_path, connection):
    problems = rejected(tmp_path, {"state_country_picklists": True})

    assert "state_country_picklists: Your Salesforce org has no state and country picklists" in (
        problems
    )
    assert SyncSettings.load().state_country_picklists is False


def test_picklists_are_accepted_for_an_org_with_them(tmp_path, connection, emulator):
    emulator.set_state_country_picklists(True)

    out, _ = run_import(tmp_path, {"state_country_picklists": True})

    assert "imported" in out
    assert SyncSettings.load().state_country_picklists is True


def test_activity_field_map_is_checked_against_the_task_fields(tmp_path, connection):
    document = {
        "activity_storage": "custom_fields",
        "activity_field_map": {
            "visits": {
                "duration_seconds": "Duration__c",
                "percent_viewed": "Follow_Up_Date__c",
                "document_name": "Engagement_Score__c",
                "account_name": "Account_Name__c",
            },
            "links": {"visitors": "Subject"},
        },
    }

    problems = rejected(tmp_path, document)

    assert "activity_field_map.visits.duration_seconds: Task has no field “Duration__c”." in (
        problems
    )
    assert (
        "activity_field_map.visits.percent_viewed: Task.Follow_Up_Date__c is a date field; "
        "use a number or text field." in problems
    )
    assert "activity_field_map.visits.document_name: Task.Engagement_Score__c is a formula" in (
        problems
    )
    assert "activity_field_map.links.visitors: Task.Subject is a standard field" in problems
    assert "account_name" not in problems
    assert SyncSettings.load().activity_storage == "description"


def test_a_valid_activity_field_map_is_imported(tmp_path, connection):
    field_map = {
        "visits": {"percent_viewed": "Percent_Viewed__c", "visitor_email": "Visitor_Email__c"},
        "links": {"visitors": "Visitors__c", "document_url": "Document_URL__c"},
        "rooms": {"room_name": "Room_Name__c"},
    }

    out, _ = run_import(
        tmp_path, {"activity_storage": "custom_fields", "activity_field_map": field_map}
    )

    assert "imported" in out
    assert SyncSettings.load().activity_field_map == field_map


def test_custom_task_fields_without_any_mapped_field_are_refused(tmp_path):
    document = {"activity_storage": "custom_fields", "activity_field_map": {"visits": {}}}

    problems = rejected(tmp_path, document)

    assert "activity_field_map: Map at least one activity attribute" in problems


def test_export_has_the_task_sync_keys_with_their_defaults():
    document = export()

    assert {key: document[key] for key in TASK_SYNC_DEFAULTS} == TASK_SYNC_DEFAULTS


TASK_SYNC_DEFAULTS = {
    "task_sync": False,
    "sync_visits": True,
    "sync_links": True,
    "sync_rooms": True,
    "unmatched_create_leads": False,
    "unmatched_create_open_tasks": False,
    "write_back": False,
    "write_back_items": ["inmail", "message", "note", "call"],
    "activity_storage": "description",
    "activity_field_map": {},
}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("task_sync", True),
        ("sync_visits", False),
        ("sync_links", False),
        ("sync_rooms", False),
        ("unmatched_create_leads", True),
        ("unmatched_create_open_tasks", True),
        ("write_back", True),
        ("write_back_items", ["note"]),
        ("write_back_items", []),
    ],
)
def test_each_task_sync_key_is_imported(tmp_path, key, value):
    run_import(tmp_path, {key: value})

    assert export()[key] == value


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("sync_visits", "yes", "Use true or false."),
        ("unmatched_create_leads", 1, "Use true or false."),
        ("write_back", None, "Use true or false."),
        ("write_back_items", "inmail", "Use a list of any of: inmail, message, note, call."),
        ("write_back_items", ["email"], "Use a list of any of: inmail, message, note, call."),
        ("write_back_items", ["note", "note"], "Name each kind once."),
        ("activity_field_map", {"calls": {}}, "“calls” is not a kind: use visits, links, rooms."),
        (
            "activity_field_map",
            {"visits": {"room_url": "Room_URL__c"}},
            "“room_url” is not a visits attribute",
        ),
        (
            "activity_field_map",
            {"links": {"document_url": "URL__c", "external_url": "url__c"}},
            "links.document_url and links.external_url both map to url__c: map it once.",
        ),
    ],
)
def test_a_bad_task_sync_value_is_refused_with_its_key_and_reason(tmp_path, key, value, reason):
    before = export()

    problems = rejected(tmp_path, {key: value})

    assert f"{key}: {reason}" in problems
    assert export() == before


def test_pipeline_settings_are_checked_against_the_org(tmp_path, connection):
    problems = rejected(tmp_path, {"pipeline_stage": "Qualified", "won_value_field": "NextStep"})

    assert "pipeline_stage: “Qualified” is not an active Opportunity stage of your org: use " in (
        problems
    )
    assert "not_sure or one of your org's: Prospecting, Qualification, Needs Analysis," in problems
    assert "won_value_field: Opportunity.NextStep is not a currency field (it is text): use " in (
        problems
    )
    assert "one of your org's: Amount, Won_Value__c." in problems
    assert SyncSettings.load().pipeline_stage == "not_sure"


def test_a_closed_stage_and_an_unknown_field_are_refused(tmp_path, connection):
    problems = rejected(tmp_path, {"pipeline_stage": "Closed Lost", "won_value_field": "Bkd__c"})

    assert "pipeline_stage: “Closed Lost” is a closed stage" in problems
    assert "won_value_field: Opportunity has no field “Bkd__c”" in problems


def test_an_org_stage_and_a_custom_currency_field_are_imported(tmp_path, connection):
    run_import(
        tmp_path, {"pipeline_stage": "Perception Analysis", "won_value_field": "Won_Value__c"}
    )

    settings = SyncSettings.load()
    assert (settings.pipeline_stage, settings.won_value_field) == (
        "Perception Analysis", "Won_Value__c",
    )  # fmt: skip

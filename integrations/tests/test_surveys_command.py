"""`surveys export` / `import`: surveys and triggers as code, all or nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from integrations.models import (
    FieldAssignment,
    ResponseRule,
    SurveyTrigger,
    TriggerCondition,
    WebToLead,
)
from tracking.models import Question, Survey

pytestmark = pytest.mark.django_db


def export() -> dict:
    out = io.StringIO()
    call_command("surveys", "export", stdout=out)
    return json.loads(out.getvalue())


def write(tmp_path, document) -> str:
    path = tmp_path / "surveys.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def rejected(tmp_path, document) -> str:
    """Import a wrong document; return the problems it printed."""
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("surveys", "import", write(tmp_path, document), stderr=err)
    return err.getvalue()


def a_document() -> dict:
    return {
        "version": 1,
        "surveys": [
            {
                "name": "Case closed",
                "email_subject": "How did we do, {FirstName}?",
                "email_body": "Please tell us: {survey_url}",
                "throttle_days": 14,
                "questions": [
                    {"key": "nps", "kind": "nps", "text": "Would you recommend us?",
                     "choices": [], "required": True},
                    {"key": "channel", "kind": "single_choice", "text": "How did you reach us?",
                     "choices": ["Phone", "Email"], "required": False},
                    {"key": "comment", "kind": "text", "text": "Anything else?",
                     "choices": [], "required": False},
                ],
                "response_rules": [a_rule(), *more_rules()],
                "web_to_lead": {
                    "enabled": True, "on_existing": "update",
                    "fields": [
                        {"salesforce_field": "Email", "source": "recipient_email", "value": ""},
                        {"salesforce_field": "LastName", "source": "embedded",
                         "value": "Contact.LastName"},
                        {"salesforce_field": "Company", "source": "constant", "value": "Unknown"},
                        {"salesforce_field": "Description", "source": "answer",
                         "value": "comment"},
                    ],
                    "condition_groups": [
                        {"mode": "all", "conditions": [
                            {"source": "embedded", "key": "Contact.Id", "operator": "is_not_set",
                             "value": ""},
                        ]},
                    ],
                },
            }
        ],
        "triggers": [
            {
                "name": "Closed cases", "key": "sandbox-key", "secret": "sandbox-secret",
                "salesforce_object": "Case", "email_field": "Contact.Email",
                "survey": "Case closed", "condition_mode": "any",
                "conditions": [{"field": "Status", "operator": "equals", "value": "Closed"},
                               {"field": "Origin", "operator": "is_set", "value": ""}],
                "captured_fields": ["Id", "CaseNumber", "Contact.FirstName"],
                "delay_minutes": 60, "enabled": False,
            }
        ],
    }  # fmt: skip


def a_rule() -> dict:
    return {
        "name": "Store the answers", "operation": "insert",
        "salesforce_object": "Survey_Response__c", "record_id_key": "",
        "external_id_field": "", "external_id_source": "", "external_id_value": "",
        "enabled": True,
        "fields": [
            {"salesforce_field": "NPS__c", "source": "answer", "value": "nps"},
            {"salesforce_field": "Comment__c", "source": "answer", "value": "comment"},
            {"salesforce_field": "Case__c", "source": "embedded", "value": "Case.Id"},
        ],
        "condition_groups": [
            {"mode": "any", "conditions": [
                {"source": "answer", "key": "nps", "operator": "is_set", "value": ""},
                {"source": "answer", "key": "channel", "operator": "equals", "value": "Phone"},
            ]},
            {"mode": "all", "conditions": [
                {"source": "embedded", "key": "Case.Id", "operator": "is_set", "value": ""},
            ]},
        ],
    }  # fmt: skip


def more_rules() -> list[dict]:
    """An upsert by the response's id and an update of the case, both disabled."""
    return [
        {
            "name": "", "operation": "upsert", "salesforce_object": "Survey_Response__c",
            "record_id_key": "", "external_id_field": "Response_Id__c",
            "external_id_source": "response_id", "external_id_value": "", "enabled": False,
            "fields": [{"salesforce_field": "Rating__c", "source": "constant", "value": "3"}],
            "condition_groups": [],
        },
        {
            "name": "Reopen the case", "operation": "update", "salesforce_object": "Case",
            "record_id_key": "Case.Id", "external_id_field": "", "external_id_source": "",
            "external_id_value": "", "enabled": False,
            "fields": [{"salesforce_field": "Status", "source": "constant", "value": "Working"}],
            "condition_groups": [],
        },
    ]  # fmt: skip


def test_round_trip_export_import_into_an_empty_database_export_equals(tmp_path):
    call_command("surveys", "import", write(tmp_path, a_document()), stdout=io.StringIO())
    exported = export()
    assert exported == a_document()
    SurveyTrigger.objects.all().delete()
    Survey.objects.all().delete()
    assert not Survey.objects.exists()
    assert not SurveyTrigger.objects.exists()
    call_command("surveys", "import", write(tmp_path, exported), stdout=io.StringIO())
    assert export() == exported
    trigger = SurveyTrigger.objects.get()
    assert (trigger.key, trigger.secret, trigger.enabled) == (
        "sandbox-key",
        "sandbox-secret",
        False,
    )
    assert list(trigger.survey.questions.values_list("key", "position")) == [
        ("nps", 0), ("channel", 1), ("comment", 2)
    ]  # fmt: skip


def test_import_updates_by_name_and_key_and_replaces_questions_and_conditions(tmp_path):
    call_command("surveys", "import", write(tmp_path, a_document()), stdout=io.StringIO())
    document = a_document()
    document["surveys"][0]["questions"] = document["surveys"][0]["questions"][:1]
    del document["surveys"][0]["response_rules"], document["surveys"][0]["web_to_lead"]
    document["triggers"][0]["conditions"] = []
    del document["triggers"][0]["secret"]
    call_command("surveys", "import", write(tmp_path, document), stdout=io.StringIO())
    assert Survey.objects.count() == 1
    assert list(Question.objects.values_list("key", flat=True)) == ["nps"]
    trigger = SurveyTrigger.objects.get()
    assert trigger.secret == "sandbox-secret"  # kept when the document leaves it out
    assert not TriggerCondition.objects.exists()
    assert not ResponseRule.objects.exists()  # left out: none
    assert not WebToLead.objects.exists()


def test_a_trigger_without_key_and_secret_gets_new_unguessable_ones(tmp_path):
    document = a_document()
    del document["triggers"][0]["key"], document["triggers"][0]["secret"]
    call_command("surveys", "import", write(tmp_path, document), stdout=io.StringIO())
    trigger = SurveyTrigger.objects.get()
    assert len(trigger.key) >= 32
    assert len(trigger.secret) >= 32
    assert trigger.key != trigger.secret


def test_a_wrong_document_changes_nothing_and_lists_every_problem_by_key_path(tmp_path):
    document = a_document()
    questions = document["surveys"][0]["questions"]
    questions[2]["kind"] = "essay"
    questions[1]["choices"] = []
    questions.append({"key": "nps", "kind": "rating", "text": "Again?"})
    document["surveys"][0]["throttle_days"] = -1
    document["triggers"][0]["survey"] = "No such survey"
    document["triggers"][0]["conditions"][0]["operator"] = "like"
    document["triggers"][0]["email_field"] = "Contact Email"
    document["triggers"][0]["extra"] = 1
    problems = rejected(tmp_path, document)
    for expected in (
        "surveys[0].questions[2].kind: Use one of: nps, rating,",
        "surveys[0].questions[1].choices: A choice question needs at least two choices.",
        "surveys[0].questions[3].key: “nps” is also surveys[0].questions[0].",
        "surveys[0].throttle_days: Use a whole number",
        "triggers[0].survey: No survey is named “No such survey”.",
        "triggers[0].conditions[0].operator: Use one of:",
        "triggers[0].email_field: Use a field's API name",
        "triggers[0].extra: Unknown key.",
    ):
        assert expected in problems
    assert not Survey.objects.exists()
    assert not SurveyTrigger.objects.exists()


def test_two_triggers_with_one_key_are_refused_and_nothing_is_written(tmp_path):
    document = a_document()
    document["triggers"].append(dict(document["triggers"][0], name="Again"))
    problems = rejected(tmp_path, document)
    assert "triggers[1].key: “sandbox-key” is also triggers[0]." in problems
    assert not Survey.objects.exists()


def test_rules_with_wrong_shapes_and_references_change_nothing_and_say_where(tmp_path):
    document = a_document()
    survey = document["surveys"][0]
    rule = survey["response_rules"][0]
    rule["fields"][0]["value"] = "recommend"
    rule["fields"][1]["source"] = "question"
    rule["condition_groups"][0]["conditions"][1]["key"] = "channels"
    rule["condition_groups"][0]["conditions"][0]["operator"] = "like"
    rule["condition_groups"][1]["mode"] = "most"
    survey["response_rules"][1]["operation"] = "merge"
    survey["response_rules"][2]["record_id_key"] = ""
    survey["response_rules"].append({"operation": "upsert", "salesforce_object": "Lead",
                                     "colour": "red"})  # fmt: skip
    survey["web_to_lead"]["on_existing"] = "replace"
    survey["web_to_lead"]["fields"][1]["value"] = ""
    problems = rejected(tmp_path, document)
    for expected in (
        "surveys[0].response_rules[0].fields[0].value: The survey has no question with the key "
        "“recommend”.",
        "surveys[0].response_rules[0].fields[1].source: Use one of: answer, embedded,",
        "surveys[0].response_rules[0].condition_groups[0].conditions[1].key: The survey has no "
        "question with the key “channels”.",
        "surveys[0].response_rules[0].condition_groups[0].conditions[0].operator: Use one of:",
        "surveys[0].response_rules[0].condition_groups[1].mode: Use one of: all, any.",
        "surveys[0].response_rules[1].operation: Use one of: insert, update, upsert, delete.",
        "surveys[0].response_rules[2].record_id_key: Required.",
        "surveys[0].response_rules[3].colour: Unknown key.",
        "surveys[0].response_rules[3].external_id_field: Required.",
        "surveys[0].response_rules[3].external_id_source: Use one of:",
        "surveys[0].web_to_lead.on_existing: Use one of: update, leave_alone.",
        "surveys[0].web_to_lead.fields[1].value: Required.",
    ):
        assert expected in problems
    assert not Survey.objects.exists()
    assert not ResponseRule.objects.exists()


def test_import_replaces_a_surveys_rules_and_web_to_lead(tmp_path):
    call_command("surveys", "import", write(tmp_path, a_document()), stdout=io.StringIO())
    document = a_document()
    document["surveys"][0]["response_rules"] = more_rules()[:1]
    document["surveys"][0]["web_to_lead"] = None
    call_command("surveys", "import", write(tmp_path, document), stdout=io.StringIO())
    assert export()["surveys"][0]["response_rules"] == more_rules()[:1]
    assert not WebToLead.objects.exists()
    assert ResponseRule.objects.count() == 1
    assert not FieldAssignment.objects.filter(rule=None).exists()


def test_with_an_org_connected_the_rules_are_imported_when_describe_allows_them(
    tmp_path, connection
):
    call_command("surveys", "import", write(tmp_path, a_document()), stdout=io.StringIO())
    assert export() == a_document()


def test_with_an_org_connected_describe_refuses_and_nothing_is_changed(tmp_path, connection):
    document = a_document()
    survey = document["surveys"][0]
    survey["response_rules"][0]["fields"].append(
        {"salesforce_field": "Colour__c", "source": "constant", "value": "red"}
    )
    survey["response_rules"][1]["external_id_field"] = "Comment__c"
    survey["response_rules"][2]["fields"][0]["value"] = "Solved"
    survey["web_to_lead"]["fields"] = survey["web_to_lead"]["fields"][1:]
    problems = rejected(tmp_path, document)
    for expected in (
        "surveys[0].response_rules[0]: Survey_Response__c has no field “Colour__c”.",
        "surveys[0].response_rules[1]: Survey_Response__c.Comment__c is not an external id",
        "surveys[0].response_rules[2]: Case.Status takes one of New, Working, Escalated, "
        "Closed; not “Solved”.",
        "surveys[0].web_to_lead: Map the Lead's Email",
    ):
        assert expected in problems
    assert not Survey.objects.exists()
    assert not ResponseRule.objects.exists()
    assert not WebToLead.objects.exists()
    assert not SurveyTrigger.objects.exists()


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "document: The surveys document must be a JSON object."),
        ({"version": 2}, "version: Only version 1 is understood."),
        ({"surveys": {}}, "surveys: Use a list."),
        ({"surveys": ["x"]}, "surveys[0]: Use an object."),
        ({"surveys": [{"name": "A"}, {"name": "A"}]}, "surveys[1].name: “A” is also surveys[0]."),
        ({"triggers": [{"name": "T", "key": ""}]}, "triggers[0].key: Required."),
        (
            {"response_rules": []},
            "response_rules: Unknown key: give it in each survey, as surveys[].response_rules.",
        ),
        (
            {"surveys": [{"name": "A", "web_to_lead": []}]},
            "surveys[0].web_to_lead: Use an object, or null for none.",
        ),
        (
            {"surveys": [{"name": "A", "response_rules": {}}]},
            "surveys[0].response_rules: Use a list.",
        ),
    ],
)
def test_shapes_are_checked(tmp_path, document, problem):
    assert problem in rejected(tmp_path, document)


def test_a_file_that_is_not_json_is_refused_with_its_position(tmp_path):
    with pytest.raises(CommandError, match=r"is not valid JSON \(line 1, column 2\)"):
        call_command("surveys", "import", write(tmp_path, "{oops"))


def test_export_to_a_file(tmp_path):
    call_command("surveys", "import", write(tmp_path, a_document()), stdout=io.StringIO())
    target = tmp_path / "out.json"
    call_command("surveys", "export", "--output", str(target), stderr=io.StringIO())
    assert json.loads(target.read_text()) == a_document()

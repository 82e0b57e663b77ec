"""`surveys export` / `import`: surveys and triggers as code, all or nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from integrations.models import SurveyTrigger, TriggerCondition
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
        "response_rules": [],
        "web_to_lead": [],
    }  # fmt: skip


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
    document["triggers"][0]["conditions"] = []
    del document["triggers"][0]["secret"]
    call_command("surveys", "import", write(tmp_path, document), stdout=io.StringIO())
    assert Survey.objects.count() == 1
    assert list(Question.objects.values_list("key", flat=True)) == ["nps"]
    trigger = SurveyTrigger.objects.get()
    assert trigger.secret == "sandbox-secret"  # kept when the document leaves it out
    assert not TriggerCondition.objects.exists()


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


@pytest.mark.parametrize("key", ["response_rules", "web_to_lead"])
def test_response_rules_and_web_to_lead_are_refused_unless_empty(tmp_path, key):
    document = dict(a_document(), **{key: [{"survey": "Case closed"}]})
    assert f"{key}: Not supported by this version" in rejected(tmp_path, document)
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "document: The surveys document must be a JSON object."),
        ({"version": 2}, "version: Only version 1 is understood."),
        ({"surveys": {}}, "surveys: Use a list."),
        ({"surveys": ["x"]}, "surveys[0]: Use an object."),
        ({"surveys": [{"name": "A"}, {"name": "A"}]}, "surveys[1].name: “A” is also surveys[0]."),
        ({"triggers": [{"name": "T", "key": ""}]}, "triggers[0].key: Required."),
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

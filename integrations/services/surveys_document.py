"""Surveys as code: surveys with their questions and the survey triggers as one JSON document,
to promote a set-up from a sandbox to production (`manage.py surveys export` / `import`).

The document's keys are documented in docs/surveys.md ("Surveys as code"). An import checks
the whole document first (shapes, references by name, question keys, choices) and writes it in
one transaction, or writes nothing and raises ValidationError keyed by each problem's path
(e.g. `surveys[0].questions[2].kind`). Surveys are matched by name and their questions replaced;
a trigger given with its key is updated (its secret kept when none is given), one without a key
gets a new key and secret. Each survey's response rules and Web-to-Lead are replaced by its
entry's (services/surveys_document_rules.py); with an org connected they are also checked
against describe() before the transaction commits.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from integrations.choices import RuleOperator
from integrations.models import SalesforceConnection, SurveyTrigger, TriggerCondition
from integrations.models.triggers import ConditionMode
from integrations.salesforce.client import SalesforceClient
from integrations.services.connection import salesforce_client
from integrations.services.document_shapes import (
    Problems,
    choice_check,
    count_check,
    document_entries,
    flag_check,
    text_check,
)
from integrations.services.settings_schema import API_NAME
from integrations.services.surveys_document_rules import (
    survey_rules_export,
    survey_rules_problems,
    survey_rules_salesforce_problems,
    survey_rules_write,
)
from tracking.models import Question, Survey
from tracking.models.surveys import QuestionKind

FORMAT_VERSION = 1
SURVEY_KEYS = (
    "name", "email_subject", "email_body", "throttle_days", "questions", "response_rules",
    "web_to_lead",
)  # fmt: skip
QUESTION_KEYS = ("key", "kind", "text", "choices", "required")
TRIGGER_KEYS = (
    "name", "key", "secret", "salesforce_object", "email_field", "survey", "condition_mode",
    "conditions", "captured_fields", "delay_minutes", "enabled",
)  # fmt: skip
CONDITION_KEYS = ("field", "operator", "value")
_RELATED = frozenset({"survey", "conditions"})  # written from their own objects
DOCUMENT_KEYS = frozenset({"version", "surveys", "triggers"})
PER_SURVEY_KEYS = ("response_rules", "web_to_lead")  # top-level keys of earlier exports
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
VALUELESS_OPERATORS = frozenset({RuleOperator.IS_SET, RuleOperator.IS_NOT_SET})
QUESTION_KEY = re.compile(r"[-a-zA-Z0-9_]{1,64}")
FIELD_PATH = re.compile(rf"{API_NAME.pattern}(\.{API_NAME.pattern})*")


def surveys_export() -> dict[str, Any]:
    """Every survey (with its questions) and trigger as a JSON-ready document."""
    surveys = [
        {
            "name": survey.name,
            "email_subject": survey.email_subject,
            "email_body": survey.email_body,
            "throttle_days": survey.throttle_days,
            "questions": [
                {key: getattr(question, key) for key in QUESTION_KEYS}
                for question in survey.questions.all()
            ],
            **survey_rules_export(survey),
        }
        for survey in Survey.objects.order_by("name").prefetch_related("questions")
    ]
    triggers = [
        {
            **{key: getattr(trigger, key) for key in TRIGGER_KEYS if key not in _RELATED},
            "survey": trigger.survey.name,
            "conditions": [
                {key: getattr(condition, key) for key in CONDITION_KEYS}
                for condition in trigger.conditions.all()
            ],
        }
        for trigger in SurveyTrigger.objects.order_by("name", "key")
        .select_related("survey")
        .prefetch_related("conditions")
    ]
    return {"version": FORMAT_VERSION, "surveys": surveys, "triggers": triggers}


def surveys_import(*, document: Any) -> None:
    """Apply a document, or nothing at all when any part of it is wrong (ValidationError)."""
    problems = _document_problems(document)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        written = [_survey_write(entry) for entry in document.get("surveys", [])]
        for entry in document.get("triggers", []):
            _trigger_write(entry)
        problems = _salesforce_problems(written)
        if problems:
            raise ValidationError(problems)


def _salesforce_problems(surveys: list[Survey]) -> Problems:
    """The connected org's describe() checks of the written rules; none without an org."""
    client = _connected_client()
    problems: Problems = defaultdict(list)
    if client is not None:
        for index, survey in enumerate(surveys):
            survey_rules_salesforce_problems(f"surveys[{index}]", survey, problems, client=client)
    return dict(problems)


def _connected_client() -> SalesforceClient | None:
    return salesforce_client() if SalesforceConnection.load().is_connected else None


# -- writing ------------------------------------------------------------------------------


def _survey_write(entry: dict) -> Survey:
    survey, _ = Survey.objects.update_or_create(
        name=entry["name"],
        defaults={key: entry[key] for key in SURVEY_KEYS[1:4] if key in entry},
    )
    survey.questions.all().delete()
    Question.objects.bulk_create(
        Question(
            survey=survey, position=position, key=question["key"], kind=question["kind"],
            text=question["text"], choices=question.get("choices", []),
            required=question.get("required", False),
        )
        for position, question in enumerate(entry.get("questions", []))
    )  # fmt: skip
    survey_rules_write(survey, entry)
    return survey


def _trigger_write(entry: dict) -> None:
    values = {key: entry[key] for key in TRIGGER_KEYS if key in entry and key not in _RELATED}
    values["survey"] = Survey.objects.get(name=entry["survey"])
    key = values.pop("key", None)
    if key is None:
        trigger = SurveyTrigger.objects.create(**values)
    else:
        trigger, _ = SurveyTrigger.objects.update_or_create(key=key, defaults=values)
    trigger.conditions.all().delete()
    TriggerCondition.objects.bulk_create(
        TriggerCondition(trigger=trigger, field=condition["field"],
                         operator=condition["operator"], value=condition.get("value", ""))
        for condition in entry.get("conditions", [])
    )  # fmt: skip


# -- validation ---------------------------------------------------------------------------


def _document_problems(document: Any) -> Problems:
    if not isinstance(document, dict):
        return {"document": ["The surveys document must be a JSON object."]}
    problems: Problems = defaultdict(list)
    for key in sorted(set(document) - DOCUMENT_KEYS):
        if key in PER_SURVEY_KEYS:
            problems[key].append(f"Unknown key: give it in each survey, as surveys[].{key}.")
        else:
            problems[key].append("Unknown key.")
    if document.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        problems["version"].append(f"Only version {FORMAT_VERSION} is understood.")
    surveys = document_entries(document.get("surveys", []), "surveys", SURVEY_KEYS, problems)
    names: dict[str, str] = {}
    for where, survey in surveys:
        _survey_problems(where, survey, problems)
        name = survey.get("name")
        if isinstance(name, str):
            if name in names:
                problems[f"{where}.name"].append(f"“{name}” is also {names[name]}.")
            names.setdefault(name, where)
    known = set(names) | set(Survey.objects.values_list("name", flat=True))
    keys: dict[str, str] = {}
    for where, trigger in document_entries(
        document.get("triggers", []), "triggers", TRIGGER_KEYS, problems
    ):
        _trigger_problems(where, trigger, problems, surveys=known)
        key = trigger.get("key")
        if isinstance(key, str):
            if key in keys:
                problems[f"{where}.key"].append(f"“{key}” is also {keys[key]}.")
            keys.setdefault(key, where)
    return dict(problems)


def _survey_problems(where: str, survey: dict, problems: Problems) -> None:
    text_check(survey, "name", where, problems, max_length=255)
    text_check(survey, "email_subject", where, problems, max_length=255)
    text_check(survey, "email_body", where, problems)
    count_check(survey, "throttle_days", where, problems)
    questions = document_entries(
        survey.get("questions", []), f"{where}.questions", QUESTION_KEYS, problems
    )
    seen: dict[str, str] = {}
    for question_where, question in questions:
        _question_problems(question_where, question, problems)
        key = question.get("key")
        if isinstance(key, str) and key:
            if key in seen:
                problems[f"{question_where}.key"].append(f"“{key}” is also {seen[key]}.")
            seen.setdefault(key, question_where)
    survey_rules_problems(where, survey, problems)


def _question_problems(where: str, question: dict, problems: Problems) -> None:
    text_check(question, "key", where, problems, pattern=QUESTION_KEY,
          hint="Use up to 64 letters, digits, hyphens and underscores.")  # fmt: skip
    text_check(question, "text", where, problems, max_length=500)
    kind = question.get("kind")
    if kind not in QuestionKind.values:
        problems[f"{where}.kind"].append(f"Use one of: {', '.join(QuestionKind.values)}.")
    flag_check(question, "required", where, problems)
    choices = question.get("choices", [])
    if not isinstance(choices, list) or not all(
        isinstance(choice, str) and choice.strip() for choice in choices
    ):
        problems[f"{where}.choices"].append("Use a list of texts.")
    elif kind in CHOICE_KINDS and len(choices) < 2:
        problems[f"{where}.choices"].append("A choice question needs at least two choices.")
    elif kind in CHOICE_KINDS and len(set(choices)) < len(choices):
        problems[f"{where}.choices"].append("Each choice may be given once.")
    elif kind in QuestionKind.values and kind not in CHOICE_KINDS and choices:
        problems[f"{where}.choices"].append("Only choice questions have choices.")


def _trigger_problems(where: str, trigger: dict, problems: Problems, *, surveys: set) -> None:
    text_check(trigger, "name", where, problems, max_length=255)
    text_check(trigger, "key", where, problems, max_length=64, required="key" in trigger)
    text_check(trigger, "secret", where, problems, max_length=128, required="secret" in trigger)
    text_check(trigger, "salesforce_object", where, problems, pattern=API_NAME,
          hint="Use an object's API name, e.g. Case.")  # fmt: skip
    text_check(trigger, "email_field", where, problems, max_length=255, pattern=FIELD_PATH,
          hint="Use a field's API name or a parent path, e.g. Contact.Email.")  # fmt: skip
    text_check(trigger, "survey", where, problems)
    survey = trigger.get("survey")
    if isinstance(survey, str) and survey.strip() and survey not in surveys:
        problems[f"{where}.survey"].append(f"No survey is named “{survey}”.")
    choice_check(trigger, "condition_mode", where, problems, ConditionMode.values)
    captured = trigger.get("captured_fields", [])
    if not isinstance(captured, list) or not all(
        isinstance(field, str) and FIELD_PATH.fullmatch(field) for field in captured
    ):
        problems[f"{where}.captured_fields"].append(
            "Use a list of field API names or parent paths, e.g. Id, Contact.Email."
        )
    count_check(trigger, "delay_minutes", where, problems)
    flag_check(trigger, "enabled", where, problems)
    conditions = trigger.get("conditions", [])
    for condition_where, condition in document_entries(
        conditions, f"{where}.conditions", CONDITION_KEYS, problems
    ):
        _condition_problems(condition_where, condition, problems)


def _condition_problems(where: str, condition: dict, problems: Problems) -> None:
    text_check(condition, "field", where, problems, max_length=255, pattern=FIELD_PATH,
          hint="Use a field's API name or a parent path, e.g. Status.")  # fmt: skip
    operator = condition.get("operator")
    if operator not in RuleOperator.values:
        problems[f"{where}.operator"].append(f"Use one of: {', '.join(RuleOperator.values)}.")
    needs_value = operator in RuleOperator.values and operator not in VALUELESS_OPERATORS
    text_check(condition, "value", where, problems, max_length=255, required=needs_value)

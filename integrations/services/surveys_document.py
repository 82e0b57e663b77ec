"""Surveys as code: surveys with their questions and the survey triggers as one JSON document,
to promote a set-up from a sandbox to production (`manage.py surveys export` / `import`).

The document's keys are documented in docs/surveys.md ("Surveys as code"). An import checks
the whole document first (shapes, references by name, question keys, choices) and writes it in
one transaction, or writes nothing and raises ValidationError keyed by each problem's path
(e.g. `surveys[0].questions[2].kind`). Surveys are matched by name and their questions replaced;
a trigger given with its key is updated (its secret kept when none is given), one without a key
gets a new key and secret. `response_rules` and `web_to_lead` are accepted only when empty.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from integrations.choices import RuleOperator
from integrations.models import SurveyTrigger, TriggerCondition
from integrations.models.triggers import ConditionMode
from integrations.services.settings_schema import API_NAME
from tracking.models import Question, Survey
from tracking.models.surveys import QuestionKind

FORMAT_VERSION = 1
SURVEY_KEYS = ("name", "email_subject", "email_body", "throttle_days", "questions")
QUESTION_KEYS = ("key", "kind", "text", "choices", "required")
TRIGGER_KEYS = (
    "name", "key", "secret", "salesforce_object", "email_field", "survey", "condition_mode",
    "conditions", "captured_fields", "delay_minutes", "enabled",
)  # fmt: skip
CONDITION_KEYS = ("field", "operator", "value")
_RELATED = frozenset({"survey", "conditions"})  # written from their own objects
UNSUPPORTED_KEYS = ("response_rules", "web_to_lead")
DOCUMENT_KEYS = frozenset({"version", "surveys", "triggers", *UNSUPPORTED_KEYS})
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
VALUELESS_OPERATORS = frozenset({RuleOperator.IS_SET, RuleOperator.IS_NOT_SET})
QUESTION_KEY = re.compile(r"[-a-zA-Z0-9_]{1,64}")
FIELD_PATH = re.compile(rf"{API_NAME.pattern}(\.{API_NAME.pattern})*")

Problems = dict[str, list[str]]


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
    return {
        "version": FORMAT_VERSION, "surveys": surveys, "triggers": triggers,
        "response_rules": [], "web_to_lead": [],
    }  # fmt: skip


def surveys_import(*, document: Any) -> None:
    """Apply a document, or nothing at all when any part of it is wrong (ValidationError)."""
    problems = _document_problems(document)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for entry in document.get("surveys", []):
            _survey_write(entry)
        for entry in document.get("triggers", []):
            _trigger_write(entry)


# -- writing ------------------------------------------------------------------------------


def _survey_write(entry: dict) -> None:
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
        problems[key].append("Unknown key.")
    if document.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        problems["version"].append(f"Only version {FORMAT_VERSION} is understood.")
    for key in UNSUPPORTED_KEYS:
        if document.get(key):
            problems[key].append(
                "Not supported by this version: leave it empty (or out) to import the rest."
            )
    surveys = _entries(document.get("surveys", []), "surveys", SURVEY_KEYS, problems)
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
    for where, trigger in _entries(
        document.get("triggers", []), "triggers", TRIGGER_KEYS, problems
    ):
        _trigger_problems(where, trigger, problems, surveys=known)
        key = trigger.get("key")
        if isinstance(key, str):
            if key in keys:
                problems[f"{where}.key"].append(f"“{key}” is also {keys[key]}.")
            keys.setdefault(key, where)
    return dict(problems)


def _entries(
    value: Any, path: str, allowed: tuple[str, ...], problems: Problems
) -> list[tuple[str, dict]]:
    """(path, entry) of the list's objects; problems for what is not an object, unknown keys."""
    if not isinstance(value, list):
        problems[path].append("Use a list.")
        return []
    entries = []
    for index, entry in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(entry, dict):
            problems[where].append("Use an object.")
            continue
        for key in sorted(set(entry) - set(allowed)):
            problems[f"{where}.{key}"].append("Unknown key.")
        entries.append((where, entry))
    return entries


def _text(
    entry: dict, key: str, where: str, problems: Problems, *, max_length: int | None = None,
    required: bool = True, pattern: re.Pattern | None = None, hint: str = "",
) -> None:  # fmt: skip
    if key not in entry:
        if required:
            problems[f"{where}.{key}"].append("Required.")
        return
    value = entry[key]
    if not isinstance(value, str):
        problems[f"{where}.{key}"].append("Use a string.")
    elif required and not value.strip():
        problems[f"{where}.{key}"].append("Required.")
    elif max_length is not None and len(value) > max_length:
        problems[f"{where}.{key}"].append(f"Use at most {max_length} characters.")
    elif pattern is not None and not pattern.fullmatch(value):
        problems[f"{where}.{key}"].append(hint)


def _count(entry: dict, key: str, where: str, problems: Problems) -> None:
    value = entry.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems[f"{where}.{key}"].append("Use a whole number, 0 or more.")


def _flag(entry: dict, key: str, where: str, problems: Problems) -> None:
    if not isinstance(entry.get(key, False), bool):
        problems[f"{where}.{key}"].append("Use true or false.")


def _choice(entry: dict, key: str, where: str, problems: Problems, choices: list[str]) -> None:
    if entry.get(key, choices[0]) not in choices:
        problems[f"{where}.{key}"].append(f"Use one of: {', '.join(choices)}.")


def _survey_problems(where: str, survey: dict, problems: Problems) -> None:
    _text(survey, "name", where, problems, max_length=255)
    _text(survey, "email_subject", where, problems, max_length=255)
    _text(survey, "email_body", where, problems)
    _count(survey, "throttle_days", where, problems)
    questions = _entries(survey.get("questions", []), f"{where}.questions", QUESTION_KEYS, problems)
    seen: dict[str, str] = {}
    for question_where, question in questions:
        _question_problems(question_where, question, problems)
        key = question.get("key")
        if isinstance(key, str) and key:
            if key in seen:
                problems[f"{question_where}.key"].append(f"“{key}” is also {seen[key]}.")
            seen.setdefault(key, question_where)


def _question_problems(where: str, question: dict, problems: Problems) -> None:
    _text(question, "key", where, problems, pattern=QUESTION_KEY,
          hint="Use up to 64 letters, digits, hyphens and underscores.")  # fmt: skip
    _text(question, "text", where, problems, max_length=500)
    kind = question.get("kind")
    if kind not in QuestionKind.values:
        problems[f"{where}.kind"].append(f"Use one of: {', '.join(QuestionKind.values)}.")
    _flag(question, "required", where, problems)
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
    _text(trigger, "name", where, problems, max_length=255)
    _text(trigger, "key", where, problems, max_length=64, required="key" in trigger)
    _text(trigger, "secret", where, problems, max_length=128, required="secret" in trigger)
    _text(trigger, "salesforce_object", where, problems, pattern=API_NAME,
          hint="Use an object's API name, e.g. Case.")  # fmt: skip
    _text(trigger, "email_field", where, problems, max_length=255, pattern=FIELD_PATH,
          hint="Use a field's API name or a parent path, e.g. Contact.Email.")  # fmt: skip
    _text(trigger, "survey", where, problems)
    survey = trigger.get("survey")
    if isinstance(survey, str) and survey.strip() and survey not in surveys:
        problems[f"{where}.survey"].append(f"No survey is named “{survey}”.")
    _choice(trigger, "condition_mode", where, problems, ConditionMode.values)
    captured = trigger.get("captured_fields", [])
    if not isinstance(captured, list) or not all(
        isinstance(field, str) and FIELD_PATH.fullmatch(field) for field in captured
    ):
        problems[f"{where}.captured_fields"].append(
            "Use a list of field API names or parent paths, e.g. Id, Contact.Email."
        )
    _count(trigger, "delay_minutes", where, problems)
    _flag(trigger, "enabled", where, problems)
    conditions = trigger.get("conditions", [])
    for condition_where, condition in _entries(
        conditions, f"{where}.conditions", CONDITION_KEYS, problems
    ):
        _condition_problems(condition_where, condition, problems)


def _condition_problems(where: str, condition: dict, problems: Problems) -> None:
    _text(condition, "field", where, problems, max_length=255, pattern=FIELD_PATH,
          hint="Use a field's API name or a parent path, e.g. Status.")  # fmt: skip
    operator = condition.get("operator")
    if operator not in RuleOperator.values:
        problems[f"{where}.operator"].append(f"Use one of: {', '.join(RuleOperator.values)}.")
    needs_value = operator in RuleOperator.values and operator not in VALUELESS_OPERATORS
    _text(condition, "value", where, problems, max_length=255, required=needs_value)

"""A survey's response rules and Web-to-Lead in the surveys document (`surveys[].response_rules`,
`surveys[].web_to_lead`; keys in docs/surveys.md, "Surveys as code").

Exported fully; on import their shapes and references are checked first (operations, sources,
operators, and every answer key naming a question of the survey's document entry), then they
replace the survey's rules and Web-to-Lead. With an org connected, what was written is checked
against describe() by the admin's own checks (services/response_rules.py) inside the import's
transaction, so a refusal there leaves nothing changed.
"""

from __future__ import annotations

from typing import Any

from integrations.choices import RuleOperator
from integrations.models import (
    ConditionGroup,
    FieldAssignment,
    ResponseCondition,
    ResponseRule,
    WebToLead,
)
from integrations.models.response_mappings import (
    ConditionSource,
    OnExistingPerson,
    RuleOperation,
    ValueSource,
)
from integrations.models.triggers import ConditionMode
from integrations.salesforce.client import SalesforceClient
from integrations.services.document_shapes import (
    Problems,
    choice_check,
    document_entries,
    flag_check,
    text_check,
    unknown_keys_check,
)
from integrations.services.response_rules import rule_problems, web_to_lead_problems
from integrations.services.settings_schema import API_NAME
from tracking.models import Survey

RULE_KEYS = (
    "name", "operation", "salesforce_object", "record_id_key", "external_id_field",
    "external_id_source", "external_id_value", "enabled", "fields", "condition_groups",
)  # fmt: skip
WEB_TO_LEAD_KEYS = ("enabled", "on_existing", "fields", "condition_groups")
ASSIGNMENT_KEYS = ("salesforce_field", "source", "value")
GROUP_KEYS = ("mode", "conditions")
CONDITION_KEYS = ("source", "key", "operator", "value")
_RELATED = frozenset({"fields", "condition_groups"})  # written from their own objects
RECORD_FOUND_BY_ID = frozenset({RuleOperation.UPDATE, RuleOperation.DELETE})
VALUELESS_OPERATORS = frozenset({RuleOperator.IS_SET, RuleOperator.IS_NOT_SET})
API_NAME_HINT = "Use a field's API name, e.g. NPS__c."


def survey_rules_export(survey: Survey) -> dict[str, Any]:
    """The survey's `response_rules` (in order) and `web_to_lead` (null when it has none)."""
    rules = [
        {
            **{key: getattr(rule, key) for key in RULE_KEYS if key not in _RELATED},
            **_related_export(rule),
        }
        for rule in survey.response_rules.prefetch_related(
            "assignments", "condition_groups__conditions"
        )
    ]
    web_to_lead = WebToLead.objects.filter(survey=survey).first()
    if web_to_lead is not None:
        web_to_lead = {
            "enabled": web_to_lead.enabled,
            "on_existing": web_to_lead.on_existing,
            **_related_export(web_to_lead),
        }
    return {"response_rules": rules, "web_to_lead": web_to_lead}


def _related_export(owner: ResponseRule | WebToLead) -> dict[str, list]:
    return {
        "fields": [
            {key: getattr(assignment, key) for key in ASSIGNMENT_KEYS}
            for assignment in owner.assignments.all()
        ],
        "condition_groups": [
            {
                "mode": group.mode,
                "conditions": [
                    {key: getattr(condition, key) for key in CONDITION_KEYS}
                    for condition in group.conditions.all()
                ],
            }
            for group in owner.condition_groups.all()
        ],
    }


# -- validation ---------------------------------------------------------------------------


def survey_rules_problems(where: str, survey: dict, problems: Problems) -> None:
    """Shapes and references of one survey entry's `response_rules` and `web_to_lead`."""
    questions = survey.get("questions", [])
    keys = {
        question["key"]
        for question in (questions if isinstance(questions, list) else [])
        if isinstance(question, dict) and isinstance(question.get("key"), str)
    }
    for rule_where, rule in document_entries(
        survey.get("response_rules", []), f"{where}.response_rules", RULE_KEYS, problems
    ):
        _rule_problems(rule_where, rule, problems, keys=keys)
    web_to_lead = survey.get("web_to_lead")
    if web_to_lead is None:
        return
    web_where = f"{where}.web_to_lead"
    if not isinstance(web_to_lead, dict):
        problems[web_where].append("Use an object, or null for none.")
        return
    unknown_keys_check(web_to_lead, web_where, WEB_TO_LEAD_KEYS, problems)
    flag_check(web_to_lead, "enabled", web_where, problems)
    choice_check(web_to_lead, "on_existing", web_where, problems, OnExistingPerson.values)
    _related_problems(web_where, web_to_lead, problems, keys=keys)


def _rule_problems(where: str, rule: dict, problems: Problems, *, keys: set[str]) -> None:
    text_check(rule, "name", where, problems, max_length=255, required=False)
    choice_check(rule, "operation", where, problems, RuleOperation.values, required=True)
    operation = rule.get("operation")
    text_check(rule, "salesforce_object", where, problems, pattern=API_NAME,
               hint="Use an object's API name, e.g. Survey_Response__c.")  # fmt: skip
    text_check(rule, "record_id_key", where, problems, max_length=255,
               required=operation in RECORD_FOUND_BY_ID)  # fmt: skip
    upsert = operation == RuleOperation.UPSERT
    text_check(rule, "external_id_field", where, problems, pattern=API_NAME,
               hint=API_NAME_HINT, required=upsert)  # fmt: skip
    source = rule.get("external_id_source", "")
    if upsert or source:
        choice_check(rule, "external_id_source", where, problems, ValueSource.values,
                     required=True)  # fmt: skip
    _value_problems(where, "external_id_value", rule, problems, source=source, keys=keys)
    flag_check(rule, "enabled", where, problems)
    _related_problems(where, rule, problems, keys=keys)


def _related_problems(where: str, owner: dict, problems: Problems, *, keys: set[str]) -> None:
    for field_where, field in document_entries(
        owner.get("fields", []), f"{where}.fields", ASSIGNMENT_KEYS, problems
    ):
        text_check(field, "salesforce_field", field_where, problems, pattern=API_NAME,
                   hint=API_NAME_HINT)  # fmt: skip
        choice_check(field, "source", field_where, problems, ValueSource.values, required=True)
        _value_problems(field_where, "value", field, problems, source=field.get("source"),
                        keys=keys)  # fmt: skip
    for group_where, group in document_entries(
        owner.get("condition_groups", []), f"{where}.condition_groups", GROUP_KEYS, problems
    ):
        choice_check(group, "mode", group_where, problems, ConditionMode.values)
        for condition_where, condition in document_entries(
            group.get("conditions", []), f"{group_where}.conditions", CONDITION_KEYS, problems
        ):
            _condition_problems(condition_where, condition, problems, keys=keys)


def _value_problems(
    where: str, key: str, entry: dict, problems: Problems, *, source: Any, keys: set[str]
) -> None:
    """The value of a source: a question key of the survey, a named embedded data key, …"""
    text_check(entry, key, where, problems, max_length=255,
               required=source in (ValueSource.ANSWER, ValueSource.EMBEDDED))  # fmt: skip
    _answer_key_problems(where, key, entry, problems, source=source, keys=keys)


def _condition_problems(where: str, condition: dict, problems: Problems, *, keys) -> None:
    choice_check(condition, "source", where, problems, ConditionSource.values, required=True)
    text_check(condition, "key", where, problems, max_length=255)
    _answer_key_problems(where, "key", condition, problems, source=condition.get("source"),
                         keys=keys)  # fmt: skip
    choice_check(condition, "operator", where, problems, RuleOperator.values, required=True)
    operator = condition.get("operator")
    needs_value = operator in RuleOperator.values and operator not in VALUELESS_OPERATORS
    text_check(condition, "value", where, problems, max_length=255, required=needs_value)


def _answer_key_problems(
    where: str, key: str, entry: dict, problems: Problems, *, source: Any, keys: set[str]
) -> None:
    value = entry.get(key)
    if source == ValueSource.ANSWER and isinstance(value, str) and value and value not in keys:
        problems[f"{where}.{key}"].append(f"The survey has no question with the key “{value}”.")


# -- writing ------------------------------------------------------------------------------


def survey_rules_write(survey: Survey, entry: dict) -> None:
    """Replace the survey's rules and Web-to-Lead by the entry's (none when left out)."""
    survey.response_rules.all().delete()
    WebToLead.objects.filter(survey=survey).delete()
    for position, rule_entry in enumerate(entry.get("response_rules", [])):
        values = {key: rule_entry[key] for key in RULE_KEYS if key in rule_entry}
        for key in _RELATED:
            values.pop(key, None)
        rule = ResponseRule.objects.create(survey=survey, position=position, **values)
        _related_write(rule_entry, rule=rule)
    web_entry = entry.get("web_to_lead")
    if web_entry is not None:
        web_to_lead = WebToLead.objects.create(
            survey=survey,
            **{key: web_entry[key] for key in ("enabled", "on_existing") if key in web_entry},
        )
        _related_write(web_entry, web_to_lead=web_to_lead)


def _related_write(entry: dict, **owner: ResponseRule | WebToLead) -> None:
    FieldAssignment.objects.bulk_create(
        FieldAssignment(**owner, salesforce_field=field["salesforce_field"],
                        source=field["source"], value=field.get("value", ""))
        for field in entry.get("fields", [])
    )  # fmt: skip
    for group_entry in entry.get("condition_groups", []):
        group = ConditionGroup.objects.create(
            **owner, mode=group_entry.get("mode", ConditionMode.ALL)
        )
        ResponseCondition.objects.bulk_create(
            ResponseCondition(group=group, source=condition["source"], key=condition["key"],
                              operator=condition["operator"], value=condition.get("value", ""))
            for condition in group_entry.get("conditions", [])
        )  # fmt: skip


# -- describe() ---------------------------------------------------------------------------


def survey_rules_salesforce_problems(
    where: str, survey: Survey, problems: Problems, *, client: SalesforceClient
) -> None:
    """The admin's describe() checks of the survey's written rules and Web-to-Lead."""
    found = {
        f"{where}.response_rules[{index}]": rule_problems(client, rule=rule)
        for index, rule in enumerate(survey.response_rules.all())
    }
    web_to_lead = WebToLead.objects.filter(survey=survey).first()
    if web_to_lead is not None:
        found[f"{where}.web_to_lead"] = web_to_lead_problems(client, web_to_lead=web_to_lead)
    for path, messages in found.items():
        if messages:
            problems[path] += messages

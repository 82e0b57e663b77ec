"""Checking a survey's response rules and Web-to-Lead against the org's describe().

Each problem is a pair (where, message) in plain words: the object must exist and allow the
rule's operation, each field must exist and be writable for it, the source must fit the
field's type (NPS and rating answers go to number fields, text answers to text fields,
choices to picklists or text), and an upsert's field must be an external id. The admin forms
call the same checks on what is being saved (`rule_object_problems`, `assignment_problems`).
"""

from __future__ import annotations

from integrations.exceptions import SalesforceError
from integrations.models.response_mappings import (
    FieldAssignment,
    OnExistingPerson,
    ResponseRule,
    RuleOperation,
    ValueSource,
    WebToLead,
)
from integrations.salesforce.client import SalesforceClient
from tracking.models import Question, Survey
from tracking.models.surveys import QuestionKind

NUMBER_TYPES = frozenset({"double", "int", "currency", "percent"})
TEXT_TYPES = frozenset({"string", "textarea"})
FITTING_TYPES = {
    QuestionKind.NPS: NUMBER_TYPES,
    QuestionKind.RATING: NUMBER_TYPES,
    QuestionKind.TEXT: TEXT_TYPES,
    QuestionKind.SINGLE_CHOICE: TEXT_TYPES | {"picklist"},
    QuestionKind.MULTIPLE_CHOICE: TEXT_TYPES | {"multipicklist"},
}
OBJECT_PERMISSIONS = {
    RuleOperation.INSERT: ("createable",),
    RuleOperation.UPDATE: ("updateable",),
    RuleOperation.UPSERT: ("createable", "updateable"),
    RuleOperation.DELETE: ("deletable",),
}
FIELD_PERMISSIONS = {
    RuleOperation.INSERT: ("createable",),
    RuleOperation.UPDATE: ("updateable",),
    RuleOperation.UPSERT: ("createable", "updateable"),
    RuleOperation.DELETE: (),
}
VERBS = {"createable": "created", "updateable": "updated", "deletable": "deleted"}

Problem = tuple[str, str]


def response_rules_check(
    *, survey: Survey, client: SalesforceClient | None = None
) -> list[Problem]:
    """Every problem of the survey's rules and Web-to-Lead settings; [] when all is well."""
    client = client or _connected_client()
    problems: list[Problem] = []
    for number, rule in enumerate(survey.response_rules.all(), start=1):
        where = f"rule {number} ({rule})"
        problems += [(where, message) for message in rule_problems(client, rule=rule)]
    web_to_lead = WebToLead.objects.filter(survey=survey).first()
    if web_to_lead is not None:
        messages = web_to_lead_problems(client, web_to_lead=web_to_lead)
        problems += [("Web-to-Lead", message) for message in messages]
    return problems


def rule_problems(client: SalesforceClient, *, rule: ResponseRule) -> list[str]:
    problems = rule_object_problems(client, rule=rule)
    if problems:
        return problems
    for assignment in rule.assignments.all():
        problems += assignment_problems(
            client, survey=rule.survey, operation=rule.operation,
            sobject=rule.salesforce_object, assignment=assignment,
        )  # fmt: skip
    problems += condition_problems(survey=rule.survey, groups=rule.condition_groups.all())
    return problems


def web_to_lead_problems(client: SalesforceClient, *, web_to_lead: WebToLead) -> list[str]:
    updates = web_to_lead.on_existing == OnExistingPerson.UPDATE
    operation = RuleOperation.UPSERT if updates else RuleOperation.INSERT
    assignments = list(web_to_lead.assignments.all())
    problems = [
        message
        for assignment in assignments
        for message in assignment_problems(
            client, survey=web_to_lead.survey, operation=operation, sobject="Lead",
            assignment=assignment,
        )
    ]  # fmt: skip
    if not any(assignment.salesforce_field == "Email" for assignment in assignments):
        problems.append("Map the Lead's Email: it is how an existing person is found.")
    problems += condition_problems(
        survey=web_to_lead.survey, groups=web_to_lead.condition_groups.all()
    )
    return problems


def rule_object_problems(client: SalesforceClient, *, rule: ResponseRule) -> list[str]:
    """The object, the operation's permission, and how the record is found."""
    described = _describe(client, rule.salesforce_object)
    if isinstance(described, str):
        return [described]
    problems = [
        f"Salesforce does not let {rule.salesforce_object} records be {VERBS[permission]}."
        for permission in OBJECT_PERMISSIONS[rule.operation]
        if not described.get(permission)
    ]
    if rule.operation in (RuleOperation.UPDATE, RuleOperation.DELETE) and not rule.record_id_key:
        problems.append("Say which embedded data key holds the record's id (e.g. Case.Id).")
    if rule.operation == RuleOperation.UPSERT:
        problems += _external_id_problems(described, rule=rule)
    return problems


def assignment_problems(
    client: SalesforceClient,
    *,
    survey: Survey,
    operation: str,
    sobject: str,
    assignment: FieldAssignment,
) -> list[str]:
    """Whether the field exists, may be written by the operation and takes the source."""
    if operation == RuleOperation.DELETE:
        return ["A delete sets no fields: remove the field assignments."]
    described = _describe(client, sobject)
    if isinstance(described, str):
        return [described]
    name = assignment.salesforce_field
    field = _field(described, name)
    if field is None:
        return [f"{sobject} has no field “{name}”."]
    problems = [
        f"{sobject}.{field['name']} cannot be {VERBS[permission]} (it is read-only there)."
        for permission in FIELD_PERMISSIONS[operation]
        if not field.get(permission)
    ]
    return problems + _source_problems(survey, field, sobject, assignment)


def condition_problems(*, survey: Survey, groups) -> list[str]:
    keys = _question_keys(survey)
    return [
        f"The condition on “{condition.key}”: the survey has no question with that key."
        for group in groups
        for condition in group.conditions.all()
        if condition.source == ValueSource.ANSWER and condition.key not in keys
    ]


def _source_problems(survey, field: dict, sobject: str, assignment: FieldAssignment) -> list[str]:
    target = f"{sobject}.{field['name']}"
    kind = field["type"]
    if assignment.source == ValueSource.ANSWER:
        question = Question.objects.filter(survey=survey, key=assignment.value).first()
        if question is None:
            return [f"{target}: the survey has no question “{assignment.value}”."]
        if kind not in FITTING_TYPES[question.kind]:
            return [
                f"{target} is a {kind} field; a {question.get_kind_display()} answer does not "
                "fit it."
            ]
    elif assignment.source == ValueSource.CONSTANT:
        return _constant_problems(target, field, assignment.value)
    elif assignment.source == ValueSource.EMBEDDED and not assignment.value:
        return [f"{target}: name the embedded data key."]
    elif assignment.source in (ValueSource.RESPONSE_ID, ValueSource.RECIPIENT_EMAIL):
        if kind not in TEXT_TYPES | {"email"}:
            return [f"{target} is a {kind} field; it cannot hold text."]
    return []


def _constant_problems(target: str, field: dict, value: str) -> list[str]:
    kind = field["type"]
    if kind in NUMBER_TYPES:
        try:
            float(value)
        except ValueError:
            return [f"{target} is a number field; “{value}” is not a number."]
    if kind == "boolean" and value.lower() not in ("true", "false"):
        return [f"{target} is a checkbox; use true or false."]
    if kind == "picklist" and field.get("restrictedPicklist"):
        allowed = [entry["value"] for entry in field["picklistValues"] if entry["active"]]
        if value not in allowed:
            return [f"{target} takes one of {', '.join(allowed)}; not “{value}”."]
    return []


def _external_id_problems(described: dict, *, rule: ResponseRule) -> list[str]:
    if not rule.external_id_field:
        return ["An upsert needs the external-id field to match on."]
    field = _field(described, rule.external_id_field)
    if field is None:
        return [f"{rule.salesforce_object} has no field “{rule.external_id_field}”."]
    problems = []
    if not field.get("externalId"):
        problems.append(
            f"{rule.salesforce_object}.{field['name']} is not an external id: an upsert "
            "matches on an external-id field (mark it External ID in Salesforce)."
        )
    if not rule.external_id_source:
        problems.append("Say where the external id's value comes from.")
    return problems


def _describe(client: SalesforceClient, sobject: str) -> dict | str:
    """The object's describe(), or the problem in words."""
    try:
        return client.describe(sobject)
    except SalesforceError as error:
        if error.code in ("NOT_FOUND", "INVALID_TYPE"):
            return f"Salesforce has no object “{sobject}”."
        return f"Could not read {sobject} from Salesforce: {error.message}"


def _field(described: dict, name: str) -> dict | None:
    return next(
        (field for field in described["fields"] if field["name"].lower() == name.lower()), None
    )


def _question_keys(survey: Survey) -> set[str]:
    return set(Question.objects.filter(survey=survey).values_list("key", flat=True))


def _connected_client() -> SalesforceClient:
    from integrations.services.connection import salesforce_client

    return salesforce_client()

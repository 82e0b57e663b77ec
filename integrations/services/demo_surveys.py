"""The survey sample of `make demo`: a survey on closed support Cases, end to end.

`demo_survey_create` sets up (idempotently) a survey with an NPS question `nps` and a text
question `comment`; a trigger on Case (recipient `Contact.Email`, condition Status equals
Closed, capturing Id, CaseNumber and ContactId); and a response rule inserting a
Survey_Response__c with NPS__c, Comment__c and the lookups Case__c and Contact__c.
`demo_case_close` closes one open Case through the Salesforce API, as an agent would, which
fires the org's Outbound Message to the trigger.
"""

from __future__ import annotations

from django.db import transaction

from integrations.choices import RuleOperator
from integrations.exceptions import SalesforceError
from integrations.models import (
    FieldAssignment,
    ResponseRule,
    SurveyTrigger,
    TriggerCondition,
)
from integrations.models.response_mappings import RuleOperation, ValueSource
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.soql import format_soql
from tracking.models import Question, Survey
from tracking.models.surveys import QuestionKind

SURVEY_NAME = "Support case closed (demo)"
TRIGGER_NAME = "Closed support Cases (demo)"
CAPTURED_FIELDS = ["Id", "CaseNumber", "ContactId"]
# What the Outbound Message sends; the trigger reads the record back before acting anyway.
OUTBOUND_FIELDS = ["CaseNumber", "Status", "Subject", "ContactId"]
QUESTIONS = (
    ("nps", QuestionKind.NPS, "How likely are you to recommend us to a colleague?", True),
    ("comment", QuestionKind.TEXT, "What could we have done better?", False),
)
ASSIGNMENTS = (
    ("NPS__c", ValueSource.ANSWER, "nps"),
    ("Comment__c", ValueSource.ANSWER, "comment"),
    ("Case__c", ValueSource.EMBEDDED, "Id"),
    ("Contact__c", ValueSource.EMBEDDED, "ContactId"),
)


class NoOpenCaseError(SalesforceError):
    """The org has no (such) open Case to close."""


@transaction.atomic
def demo_survey_create() -> SurveyTrigger:
    """The demo's survey, trigger and response rule (made once, found afterwards)."""
    survey, _ = Survey.objects.get_or_create(
        name=SURVEY_NAME,
        defaults={
            "email_subject": "How did we do with case {CaseNumber}?",
            "email_body": "Your support case {CaseNumber} is closed. Two questions, one "
            "minute: {survey_url}",
        },
    )
    for position, (key, kind, text, required) in enumerate(QUESTIONS):
        Question.objects.get_or_create(
            survey=survey, key=key,
            defaults={"kind": kind, "text": text, "required": required, "position": position},
        )  # fmt: skip
    trigger, created = SurveyTrigger.objects.get_or_create(
        name=TRIGGER_NAME,
        defaults={"survey": survey, "salesforce_object": "Case",
                  "email_field": "Contact.Email", "captured_fields": CAPTURED_FIELDS},
    )  # fmt: skip
    if created:
        TriggerCondition.objects.create(
            trigger=trigger, field="Status", operator=RuleOperator.EQUALS, value="Closed"
        )
    if not survey.response_rules.exists():
        rule = ResponseRule.objects.create(
            survey=survey, name="Survey response on the Case", operation=RuleOperation.INSERT,
            salesforce_object="Survey_Response__c",
        )  # fmt: skip
        for field, source, value in ASSIGNMENTS:
            FieldAssignment.objects.create(
                rule=rule, salesforce_field=field, source=source, value=value
            )
    return trigger


def demo_case_close(*, client: SalesforceClient, case_number: str | None = None) -> dict:
    """Set an open Case's Status to Closed (the one with `case_number`, else the oldest open
    one with a Contact); returns its Id and CaseNumber."""
    where = "IsClosed = false AND ContactId != null"
    if case_number:
        where = format_soql("IsClosed = false AND CaseNumber = {}", case_number.strip())
    rows = list(client.query(
        f"SELECT Id, CaseNumber FROM Case WHERE {where} ORDER BY CaseNumber LIMIT 1"
    ))  # fmt: skip
    if not rows:
        which = f"Case {case_number} is not an open Case" if case_number else "No open Case"
        raise NoOpenCaseError(f"{which} in the connected org.")
    (result,) = client.update("Case", [{"Id": rows[0]["Id"], "Status": "Closed"}])
    if not result.success:
        messages = "; ".join(error.message for error in result.errors)
        raise SalesforceError(f"Salesforce refused to close the Case: {messages}")
    return {"id": rows[0]["Id"], "case_number": rows[0]["CaseNumber"]}

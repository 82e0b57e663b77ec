"""Surveys, responses and rules as the response-mapping tests build them."""

from __future__ import annotations

import uuid

from integrations.models import ConditionGroup, FieldAssignment, ResponseCondition, ResponseRule
from tracking.models import Invitation, Question, Response, Survey
from tracking.models.surveys import QuestionKind


def survey_create(name: str = "CSAT") -> Survey:
    survey = Survey.objects.create(
        name=name, email_subject="How did we do?", email_body="Tell us: {survey_url}"
    )
    for position, (key, kind, choices) in enumerate([
        ("nps", QuestionKind.NPS, []),
        ("rating", QuestionKind.RATING, []),
        ("comment", QuestionKind.TEXT, []),
        ("reason", QuestionKind.SINGLE_CHOICE, ["Price", "Service"]),
        ("channels", QuestionKind.MULTIPLE_CHOICE, ["Phone", "Email"]),
    ]):  # fmt: skip
        Question.objects.create(
            survey=survey, key=key, kind=kind, text=key, choices=choices, position=position
        )
    return survey


def response_create(survey: Survey, *, answers: dict, embedded: dict | None = None,
                    email: str = "kundin@example.com") -> Response:  # fmt: skip
    invitation = Invitation.objects.create(
        survey=survey, email=email, embedded_data=embedded or {}, event_key=uuid.uuid4().hex
    )
    return Response.objects.create(invitation=invitation, answers=answers)


def rule_create(survey: Survey, operation: str, sobject: str, *, fields=(), groups=(),
                **options) -> ResponseRule:  # fmt: skip
    """A rule; `fields` are (Salesforce field, source, value), `groups` (mode, [(source,
    key, operator, value)])."""
    rule = ResponseRule.objects.create(
        survey=survey, operation=operation, salesforce_object=sobject, **options
    )
    for name, source, value in fields:
        FieldAssignment.objects.create(rule=rule, salesforce_field=name, source=source, value=value)
    for mode, conditions in groups:
        group = ConditionGroup.objects.create(rule=rule, mode=mode)
        for source, key, operator, value in conditions:
            ResponseCondition.objects.create(
                group=group, source=source, key=key, operator=operator, value=value
            )
    return rule

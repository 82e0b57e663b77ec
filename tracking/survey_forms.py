"""The form of a survey's public page, built from its questions: one field per question,
named by the question's key (a multiple choice posts its key once per chosen value).

Scales are offered as radio buttons and checked on the server too: an NPS is 0–10, a rating
1–5, a choice one of the question's choices.
"""

from __future__ import annotations

from django import forms

from tracking.models import Question, Survey
from tracking.models.surveys import QuestionKind

SCALES = {QuestionKind.NPS: range(0, 11), QuestionKind.RATING: range(1, 6)}


def _scale_field(question: Question) -> forms.Field:
    scale = SCALES[question.kind]
    return forms.TypedChoiceField(
        choices=[(value, str(value)) for value in scale],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": f"scale {question.kind}"}),
        empty_value=None,
        error_messages={"invalid_choice": f"Choose a number from {scale[0]} to {scale[-1]}."},
    )


def _field(question: Question) -> forms.Field:
    choices = [(choice, choice) for choice in question.choices]
    invalid = {"invalid_choice": "Choose one of the answers offered."}
    if question.kind in SCALES:
        field = _scale_field(question)
    elif question.kind == QuestionKind.SINGLE_CHOICE:
        field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=invalid)
    elif question.kind == QuestionKind.MULTIPLE_CHOICE:
        field = forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, error_messages=invalid
        )
    else:
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)
    field.required = question.required
    field.label = question.text
    return field


class SurveyResponseForm(forms.Form):
    """The answers to one survey; `answers()` gives them by key, for the response."""

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            self.fields[question.key] = _field(question)

    def answers(self) -> dict:
        """The cleaned answers by question key; unanswered optional questions are left out."""
        return {
            key: value for key, value in self.cleaned_data.items() if value not in (None, "", [])
        }

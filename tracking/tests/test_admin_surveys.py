"""The surveys' admin: the builder with its checks and email preview, invitations and
responses read-only."""

import pytest
from django.urls import reverse

from tracking.models import Question, Survey
from tracking.models.surveys import InvitationStatus, QuestionKind
from tracking.tests.factories import (
    InvitationFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:tracking_survey_add")


def survey_form(questions=(), **fields) -> dict:
    data = {
        "name": "Case closed",
        "email_subject": "How did we do, {Contact.FirstName}?",
        "email_body": "Please answer: {survey_url}",
        "throttle_days": "30",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, question in enumerate(questions):
        for name, value in {"position": index, "required": "", "choices": "", **question}.items():
            data[f"questions-{index}-{name}"] = value
    return data


def test_a_survey_is_built_with_its_questions(admin_client):
    questions = [
        {"key": "nps", "kind": "nps", "text": "Recommend us?", "required": "on"},
        {"key": "channel", "kind": "single_choice", "text": "Reached by?",
         "choices": "Phone\n Email \n\n"},
        {"key": "topics", "kind": "multiple_choice", "text": "About?",
         "choices": '["Billing", "Setup"]'},
    ]  # fmt: skip
    response = admin_client.post(ADD, survey_form(questions))
    assert response.status_code == 302
    survey = Survey.objects.get(name="Case closed")
    stored = {q.key: (q.kind, q.choices, q.required) for q in survey.questions.all()}
    assert stored == {
        "nps": (QuestionKind.NPS, [], True),
        "channel": (QuestionKind.SINGLE_CHOICE, ["Phone", "Email"], False),
        "topics": (QuestionKind.MULTIPLE_CHOICE, ["Billing", "Setup"], False),
    }
    change = admin_client.get(reverse("admin:tracking_survey_change", args=[survey.pk]))
    assert "Phone\nEmail</textarea>" in change.content.decode()


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"key": "c", "kind": "single_choice", "text": "?"}, "A choice question needs its"),
        ({"key": "c", "kind": "rating", "text": "?", "choices": "A"}, "Only choice questions"),
        ({"key": "c", "kind": "single_choice", "text": "?", "choices": "[1, 2]"}, "strings only"),
        ({"key": "c", "kind": "single_choice", "text": "?", "choices": '["a"'}, "Not a JSON"),
        ({"key": "c", "kind": "single_choice", "text": "?", "choices": "A\nA"}, "Each choice once"),
        ({"key": "c d", "kind": "text", "text": "?"}, "Enter a valid “slug”"),
    ],
)
def test_bad_questions_are_form_errors(admin_client, question, message):
    response = admin_client.post(ADD, survey_form([question]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_two_questions_with_one_key_are_a_form_error(admin_client):
    question = {"key": "same", "kind": "text", "text": "?"}
    response = admin_client.post(ADD, survey_form([question, question]))
    assert response.status_code == 200
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("field", "template"),
    [("email_subject", "Hi {Contact.FirstName"), ("email_body", "Go: {survey url}"),
     ("email_body", "a } b")],
)  # fmt: skip
def test_malformed_placeholders_are_form_errors(admin_client, field, template):
    response = admin_client.post(ADD, survey_form(**{field: template}))
    assert response.status_code == 200
    assert "Stray" in response.context["adminform"].form.errors[field][0]
    assert not Survey.objects.exists()


def test_the_change_page_previews_the_email_with_the_latest_embedded_data(admin_client, settings):
    settings.SITE_URL = "https://crm.example.com"
    survey = SurveyFactory(email_subject="Hi {Contact.FirstName}",
                           email_body="{survey_url} for {email}, {Case.Number}")  # fmt: skip
    InvitationFactory(survey=survey, email="ada@example.com",
                      embedded_data={"Contact.FirstName": "Ada"})  # fmt: skip
    page = admin_client.get(reverse("admin:tracking_survey_change", args=[survey.pk]))
    html = page.content.decode()
    assert "<strong>Hi Ada</strong>" in html
    assert "https://crm.example.com/s/example-token/ for ada@example.com, «Case.Number»" in html


def test_invitations_are_listed_read_only_with_a_link_to_their_response(admin_client):
    response = ResponseFactory(answers={"nps": 9})
    failed = InvitationFactory(status=InvitationStatus.FAILED, error="SMTPServerDisconnected")
    listing = admin_client.get(reverse("admin:tracking_invitation_changelist")).content.decode()
    assert failed.email in listing
    assert "SMTPServerDisconnected" in listing
    assert reverse("admin:tracking_response_change", args=[response.pk]) in listing
    assert admin_client.get(reverse("admin:tracking_invitation_add")).status_code == 403
    change = admin_client.get(reverse("admin:tracking_invitation_change", args=[failed.pk]))
    assert change.status_code == 200
    assert 'name="email"' not in change.content.decode()


def test_a_response_shows_each_answer_by_question_and_its_history_link(admin_client):
    survey = SurveyFactory()
    QuestionFactory(survey=survey, key="nps", kind=QuestionKind.NPS, text="Recommend us?")
    QuestionFactory(survey=survey, key="topics", kind=QuestionKind.MULTIPLE_CHOICE,
                    choices=["Billing", "Setup"], text="About?")  # fmt: skip
    QuestionFactory(survey=survey, key="comment", text="Anything else?")
    response = ResponseFactory(invitation__survey=survey,
                               answers={"nps": 0, "topics": ["Billing", "Setup"]})  # fmt: skip
    page = admin_client.get(reverse("admin:tracking_response_change", args=[response.pk]))
    html = page.content.decode()
    assert "Recommend us? <span" in html
    assert "<td>0</td>" in html
    assert "<td>Billing, Setup</td>" in html
    assert "<td>—</td>" in html
    assert f"/records/responses/{response.pk}/history/" in html
    history = admin_client.get(f"/records/responses/{response.pk}/history/")
    assert history.status_code == 200

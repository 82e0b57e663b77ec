"""The hosted survey page /s/<token>/: questions rendered, answers checked and stored once,
CSRF enforced, unknown and expired tokens answered with a clear 404 page."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django import db
from django.test import Client
from django.utils import timezone

from tracking.models import Invitation, Response
from tracking.models.surveys import InvitationStatus, QuestionKind
from tracking.services.surveys import InvitationAnsweredError, response_submit
from tracking.signals import response_submitted
from tracking.tests.factories import InvitationFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = SurveyFactory(name="Case closed")
    QuestionFactory(survey=survey, key="nps", kind=QuestionKind.NPS, required=True,
                    text="How likely are you to recommend us?")  # fmt: skip
    QuestionFactory(survey=survey, key="rating", kind=QuestionKind.RATING, text="Speed?")
    QuestionFactory(survey=survey, key="channel", kind=QuestionKind.SINGLE_CHOICE,
                    choices=["Phone", "Email"], text="How did you reach us?")  # fmt: skip
    QuestionFactory(survey=survey, key="topics", kind=QuestionKind.MULTIPLE_CHOICE,
                    choices=["Billing", "Setup", "Bugs"], text="What was it about?")  # fmt: skip
    QuestionFactory(survey=survey, key="comment", kind=QuestionKind.TEXT, text="Anything else?")
    return survey


@pytest.fixture
def invitation(survey):
    return InvitationFactory(survey=survey, status=InvitationStatus.SENT)


def page(invitation: Invitation) -> str:
    return f"/s/{invitation.token}/"


def test_the_page_shows_every_question_with_the_keys_as_field_names(client, invitation):
    response = client.get(page(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert "How likely are you to recommend us?" in html
    for value in range(11):
        assert f'name="nps" value="{value}"' in html
    assert 'name="rating" value="5"' in html
    assert 'name="rating" value="0"' not in html
    assert 'name="channel" value="Phone"' in html
    assert 'name="topics" value="Bugs"' in html
    assert '<textarea name="comment"' in html
    assert "csrfmiddlewaretoken" in html


def test_a_submit_stores_the_answers_by_key_and_thanks(
    client, invitation, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, response, **kwargs):
        received.append(response)

    response_submitted.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(page(invitation), {
                "nps": "9", "rating": "4", "channel": "Email",
                "topics": ["Billing", "Bugs"], "comment": "Quick and kind.",
            })  # fmt: skip
    finally:
        response_submitted.disconnect(listener)
    assert answer.status_code == 302
    assert answer["Location"] == f"/s/{invitation.token}/thanks/"
    stored = Response.objects.get(invitation=invitation)
    assert stored.answers == {
        "nps": 9, "rating": 4, "channel": "Email", "topics": ["Billing", "Bugs"],
        "comment": "Quick and kind.",
    }  # fmt: skip
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED
    assert received == [stored]
    thanks = client.get(answer["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()


def test_optional_questions_may_stay_unanswered(client, invitation):
    answer = client.post(page(invitation), {"nps": "0"})
    assert answer.status_code == 302
    assert Response.objects.get(invitation=invitation).answers == {"nps": 0}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "nps", "This field is required."),
        ({"nps": "11"}, "nps", "Choose a number from 0 to 10."),
        ({"nps": "-1"}, "nps", "Choose a number from 0 to 10."),
        ({"nps": "seven"}, "nps", "Choose a number from 0 to 10."),
        ({"nps": "5", "rating": "0"}, "rating", "Choose a number from 1 to 5."),
        ({"nps": "5", "rating": "6"}, "rating", "Choose a number from 1 to 5."),
        ({"nps": "5", "channel": "Fax"}, "channel", "Choose one of the answers offered."),
        ({"nps": "5", "topics": ["Setup", "Cake"]}, "topics", "Choose one of the answers"),
    ],
)
def test_bad_answers_are_shown_as_errors_and_nothing_is_stored(
    client, invitation, data, field, message
):
    answer = client.post(page(invitation), data)
    assert answer.status_code == 400
    assert message in " ".join(answer.context["form"].errors[field])
    assert message in answer.content.decode()
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT


def test_an_answered_invitation_shows_already_answered_and_takes_no_second_response(
    client, invitation
):
    assert client.post(page(invitation), {"nps": "8"}).status_code == 302
    again = client.post(page(invitation), {"nps": "2"})
    assert again.status_code == 200
    assert "Already answered" in again.content.decode()
    assert client.get(page(invitation)).content.decode().count("Already answered") == 1
    assert Response.objects.get().answers == {"nps": 8}


def test_a_second_submit_of_a_stale_invitation_is_refused(invitation):
    stale = Invitation.objects.get(pk=invitation.pk)
    response_submit(invitation=invitation, answers={"nps": 1})
    with pytest.raises(InvitationAnsweredError):
        response_submit(invitation=stale, answers={"nps": 2})
    assert Response.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_store_one_response(postgres_url, survey):
    """On PostgreSQL (SQLite's test database serialises threads, so no race there)."""
    invitation = InvitationFactory(survey=survey, status=InvitationStatus.SENT)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(value):
        barrier.wait()
        try:
            outcomes.append(Client().post(page(invitation), {"nps": value}).status_code)
        finally:
            db.connection.close()

    threads = [threading.Thread(target=submit, args=(value,)) for value in ("3", "7")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [200, 302]  # one thanked, one told it was answered
    assert Response.objects.filter(invitation=invitation).count() == 1


def test_the_form_is_csrf_protected(invitation):
    client = Client(enforce_csrf_checks=True)
    assert client.post(page(invitation), {"nps": "9"}).status_code == 403
    assert not Response.objects.exists()
    form = client.get(page(invitation))
    token = form.context["csrf_token"]
    answer = client.post(page(invitation), {"nps": "9", "csrfmiddlewaretoken": str(token)})
    assert answer.status_code == 302


def test_an_unknown_token_gets_a_clear_404_page(client):
    for url in ("/s/not-a-token/", "/s/not-a-token/thanks/"):
        answer = client.get(url)
        assert answer.status_code == 404
        assert "Survey not found" in answer.content.decode()
    assert client.post("/s/not-a-token/", {"nps": "1"}).status_code == 404


def test_an_expired_invitation_gets_a_404_page_saying_so(client, survey):
    expired = InvitationFactory(survey=survey, expires_at=timezone.now() - timedelta(minutes=1))
    for answer in (client.get(page(expired)), client.post(page(expired), {"nps": "5"})):
        assert answer.status_code == 404
        assert "This survey has closed" in answer.content.decode()
    assert not Response.objects.exists()


def test_thanks_before_answering_leads_to_the_survey(client, invitation):
    answer = client.get(f"/s/{invitation.token}/thanks/")
    assert answer.status_code == 302
    assert answer["Location"] == page(invitation)

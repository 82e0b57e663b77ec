"""Answering a survey on a phone: the page fits the screen, the answers are easy to tap."""

import os

import pytest

from tracking.models import Response
from tracking.models.surveys import InvitationStatus, QuestionKind
from tracking.tests.factories import InvitationFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_survey_is_answered_on_a_phone(request, browser, live_server, transactional_db):
    # given
    survey = SurveyFactory(name="How was your support case?")
    QuestionFactory(survey=survey, key="nps", kind=QuestionKind.NPS, required=True,
                    text="How likely are you to recommend us to a friend?")  # fmt: skip
    QuestionFactory(survey=survey, key="topics", kind=QuestionKind.MULTIPLE_CHOICE,
                    choices=["Billing", "Setup", "Bugs"], text="What was it about?")  # fmt: skip
    QuestionFactory(survey=survey, key="comment", text="Anything else?")
    invitation = InvitationFactory(survey=survey, status=InvitationStatus.SENT)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True)
    page = context.new_page()
    # when
    page.goto(f"/s/{invitation.token}/")
    # then: nothing wider than the screen, every option a comfortable tap target
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for option in page.locator("label.option").all():
        box = option.bounding_box()
        assert box["height"] >= 44
        assert box["width"] >= 44
    # when: a submit without the required answer
    page.get_by_role("button", name="Send my answers").click()
    assert "This field is required." in page.locator("fieldset").first.inner_text()
    page.locator("label.option", has_text="9").first.tap()
    page.locator("label.option", has_text="Setup").tap()
    page.locator("label.option", has_text="Bugs").tap()
    page.locator("textarea[name=comment]").fill("Quick and kind.")
    _screenshot(request, page, "form")
    page.get_by_role("button", name="Send my answers").click()
    # then
    assert page.locator("h1").inner_text() == "Thank you!"
    assert Response.objects.get(invitation=invitation).answers == {
        "nps": 9, "topics": ["Setup", "Bugs"], "comment": "Quick and kind.",
    }  # fmt: skip
    page.goto(f"/s/{invitation.token}/")
    assert page.locator("h1").inner_text() == "Already answered"
    _screenshot(request, page, "answered")
    context.close()


def _screenshot(request, page, name: str) -> None:
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        page.screenshot(
            path=os.path.join(folder, f"{request.node.name}-{name}.png"), full_page=True
        )

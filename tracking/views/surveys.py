"""The hosted survey pages: `/s/<token>/` shows an invitation's survey and takes its one
response, `/s/<token>/thanks/` thanks the respondent.

No sign-in: the unguessable token is the key. An unknown or expired token gets a clear
"not found" page (HTTP 404); an invitation answered already says so instead of the form.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tracking.models import Invitation
from tracking.models.surveys import InvitationStatus
from tracking.services.surveys import (
    InvitationAnsweredError,
    invitation_is_expired,
    response_submit,
)
from tracking.survey_forms import SurveyResponseForm


def survey_url(*, token: str) -> str:
    """The absolute address of an invitation's page (for its email), from SITE_URL."""
    return settings.SITE_URL.rstrip("/") + reverse("surveys:page", args=[token])


def _not_found(request: HttpRequest, *, expired: bool) -> HttpResponse:
    return render(request, "tracking/survey_not_found.html", {"expired": expired}, status=404)


def _answered(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    return render(request, "tracking/survey_answered.html", {"survey": invitation.survey})


@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("survey").filter(token=token).first()
    if invitation is None:
        return _not_found(request, expired=False)
    if invitation.status == InvitationStatus.ANSWERED:
        return _answered(request, invitation)
    if invitation_is_expired(invitation=invitation):
        return _not_found(request, expired=True)
    data = request.POST if request.method == "POST" else None
    form = SurveyResponseForm(data, survey=invitation.survey)
    if data is not None and form.is_valid():
        try:
            response_submit(invitation=invitation, answers=form.answers())
        except InvitationAnsweredError:
            return _answered(request, invitation)
        return redirect("surveys:thanks", token=token)
    context = {"survey": invitation.survey, "form": form}
    status = 400 if data is not None else 200
    return render(request, "tracking/survey_page.html", context, status=status)


def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("survey").filter(token=token).first()
    if invitation is None:
        return _not_found(request, expired=False)
    if invitation.status != InvitationStatus.ANSWERED:
        return redirect("surveys:page", token=token)
    return render(request, "tracking/survey_thanks.html", {"survey": invitation.survey})

"""URLs of the hosted survey pages, included at /s/: /s/<token>/ and /s/<token>/thanks/."""

from django.urls import path

from tracking.views import surveys

app_name = "surveys"

urlpatterns = [
    path("<str:token>/", surveys.survey_page, name="page"),
    path("<str:token>/thanks/", surveys.survey_thanks, name="thanks"),
]

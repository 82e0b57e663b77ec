"""Webhook URLs, included at `hooks/`."""

from django.urls import path

from integrations.webhooks.views import salesforce_trigger

app_name = "webhooks"

urlpatterns = [
    path("salesforce/<str:key>/", salesforce_trigger, name="salesforce-trigger"),
]

"""App config for everything that talks to Salesforce."""

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Salesforce integration"
    default_auto_field = "django.db.models.BigAutoField"

"""App config for the local records that CRM Bridge keeps and syncs."""

from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Records"
    default_auto_field = "django.db.models.BigAutoField"

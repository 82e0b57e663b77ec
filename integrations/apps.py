"""App config for everything that talks to Salesforce."""

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate

from tracking.hooks import (
    instance_url_provider_register,
    not_sent_provider_register,
    salesforce_user_id_provider_register,
    seat_admin_provider_register,
    sync_facts_provider_register,
)
from tracking.signals import activity_records_changed, response_submitted


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Salesforce integration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_sync_schedules_after_migrate, sender=self)
        instance_url_provider_register(_instance_url)
        not_sent_provider_register(_records_not_sent)
        sync_facts_provider_register(_sync_facts)
        salesforce_user_id_provider_register(_seat_salesforce_user_id)
        seat_admin_provider_register(_holds_admin_seat)
        activity_records_changed.connect(_push_activities, dispatch_uid="activities-push")
        response_submitted.connect(_map_response, dispatch_uid="response-mapping")


def _holds_admin_seat(user) -> bool:
    """Whether the user's seat is an admin seat, for tracking's visibility rule."""
    from integrations.selectors import seat_is_admin

    return seat_is_admin(user=user)


def _instance_url() -> str:
    """The connected org's base URL, for tracking's links to records in Salesforce."""
    from integrations.models import SalesforceConnection

    return SalesforceConnection.load().instance_url


def _records_not_sent(model, pks):
    """Which of these records the sync leaves out, for tracking's sync state."""
    from integrations.sync.not_sent import records_not_sent

    return records_not_sent(model, pks)


def _sync_facts(model, states, not_sent):
    """What the sync knows that explains these records' states, for tracking's sentences."""
    from integrations.sync.explanations import sync_facts

    return sync_facts(model, states, not_sent)


def _seat_salesforce_user_id(user) -> str:
    """The Salesforce user of `user`'s seat, for tracking's ownership rule; "" without one."""
    from integrations.selectors import seat_salesforce_user_id

    return seat_salesforce_user_id(user=user)


def _push_activities(sender, pks, **kwargs):
    """New or changed visits, links or activities: push them within seconds."""
    from integrations.services.activities_push import activities_push_enqueue

    activities_push_enqueue(model=sender, pks=pks)


def _map_response(sender, response, **kwargs):
    """A survey response was stored: write it to Salesforce as its survey's rules say."""
    from integrations.services.response_mapping import response_mapping_enqueue

    response_mapping_enqueue(response=response)


def _sync_schedules_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Keep the sync's django-q2 schedules in step after every `migrate`."""
    from django_q.models import Schedule

    from integrations.models import SyncSettings
    from integrations.schedules import schedules_sync

    if using != DEFAULT_DB_ALIAS:
        return
    tables = connections[using].introspection.table_names()
    if Schedule._meta.db_table in tables and SyncSettings._meta.db_table in tables:
        schedules_sync()

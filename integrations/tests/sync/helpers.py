"""Helpers of the end-to-end sync tests: run one whole cycle, read a contact's events."""

from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from tracking.models import SyncEvent


def run_cycle():
    return salesforce_sync_run(run=salesforce_sync_create())


def events(contact, **filters):
    return list(
        SyncEvent.objects.filter(object_id=contact.pk, content_type__model="contact", **filters)
    )

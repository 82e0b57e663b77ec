"""factory-boy factories for the integration's models."""

import factory
from django.contrib.contenttypes.models import ContentType
from factory.django import DjangoModelFactory

from integrations.choices import Direction, EventStatus, Operation, RunTrigger
from integrations.models import SyncEvent, SyncRun
from tracking.tests.factories import ContactFactory


class SyncRunFactory(DjangoModelFactory):
    class Meta:
        model = SyncRun

    trigger = RunTrigger.SCHEDULE


class SyncEventFactory(DjangoModelFactory):
    class Meta:
        model = SyncEvent
        exclude = ["record"]

    record = factory.SubFactory(ContactFactory)
    content_type = factory.LazyAttribute(
        lambda event: ContentType.objects.get_for_model(event.record)
    )
    object_id = factory.LazyAttribute(lambda event: event.record.pk)
    direction = Direction.OUTBOUND
    operation = Operation.UPDATE
    status = EventStatus.OK
    salesforce_object = "Lead"
    salesforce_id = "00Q000000000001AAA"
    changes = factory.LazyFunction(lambda: [{"field": "Title", "old": "A", "new": "B"}])

"""factory-boy factories for the integration's models."""

from factory.django import DjangoModelFactory

from integrations.choices import RunTrigger
from integrations.models import SyncRun


class SyncRunFactory(DjangoModelFactory):
    class Meta:
        model = SyncRun

    trigger = RunTrigger.SCHEDULE

"""factory-boy factories for the integration's models."""

import factory
from factory.django import DjangoModelFactory

from integrations.choices import (
    AuthMethod,
    ConnectionStatus,
    MappingRule,
    RuleOperator,
    RunTrigger,
)
from integrations.models import (
    FieldMapping,
    InclusionRule,
    MappedObject,
    SalesforceConnection,
    SyncRun,
    SyncSettings,
)


class SyncRunFactory(DjangoModelFactory):
    class Meta:
        model = SyncRun

    trigger = RunTrigger.SCHEDULE


class SingletonFactory(DjangoModelFactory):
    """Sets the given fields on the one row (created with its defaults when missing)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = model_class.load()
        for name, value in kwargs.items():
            setattr(row, name, value)
        row.save()
        return row


class SalesforceConnectionFactory(SingletonFactory):
    """A connection row that looks connected; it reaches no org (use the `connection`
    fixture for one that does)."""

    class Meta:
        model = SalesforceConnection

    login_url = "https://login.example.com"
    auth_method = AuthMethod.PASSWORD
    client_id = "client-id"
    client_secret = "client-secret"
    username = "integration@example.com"
    password = "password"
    access_token = "access-token"
    instance_url = "https://instance.example.com"
    api_version = "62.0"
    org_id = "00D000000000001AAA"
    user_id = "005000000000001AAA"
    connected_username = "integration@example.com"
    status = ConnectionStatus.CONNECTED


class SyncSettingsFactory(SingletonFactory):
    class Meta:
        model = SyncSettings

    sync_enabled = True


class InclusionRuleFactory(DjangoModelFactory):
    class Meta:
        model = InclusionRule

    settings = factory.LazyFunction(SyncSettings.load)
    field = "country"
    operator = RuleOperator.EQUALS
    value = "Germany"


class FieldMappingFactory(DjangoModelFactory):
    class Meta:
        model = FieldMapping

    salesforce_object = MappedObject.LEAD
    local_field = factory.Sequence(lambda n: f"properties.custom{n}")
    salesforce_field = factory.Sequence(lambda n: f"Custom{n}__c")
    rule = MappingRule.TWO_WAY

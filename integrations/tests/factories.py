"""factory-boy factories for the integration's models."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from factory.django import DjangoModelFactory

from integrations.choices import (
    AuthMethod,
    ConnectionStatus,
    MappingRule,
    RuleOperator,
    RunTrigger,
)
from integrations.models import (
    Alert,
    ApiUsageHour,
    CrmDataPurge,
    DeleteBrake,
    FieldMapping,
    InclusionRule,
    MappedObject,
    PendingDeletion,
    QuarantinedRecord,
    SalesforceConnection,
    Seat,
    SurveyTrigger,
    SyncCursor,
    SyncLease,
    SyncRun,
    SyncSettings,
    TriggerCondition,
    TriggerDelivery,
    WriteBackTest,
)
from integrations.sync.quarantine import quarantine_entry
from tracking.tests.factories import ContactFactory


class AlertFactory(DjangoModelFactory):
    """An open alert; pass `cleared_at=` for one that is over."""

    class Meta:
        model = Alert

    key = factory.Sequence(lambda n: f"errors_spike:CODE_{n}")
    title = "A spike of sync errors"
    message = "The newest sync run recorded 51 record errors. Fix the records."
    link = "/admin/tracking/syncevent/?status__exact=error"


class SyncRunFactory(DjangoModelFactory):
    class Meta:
        model = SyncRun

    trigger = RunTrigger.SCHEDULE


class SyncCursorFactory(DjangoModelFactory):
    """An inbound watermark; one per Salesforce object (the name is unique)."""

    class Meta:
        model = SyncCursor

    salesforce_object = factory.Sequence(lambda n: f"Custom{n}__c")
    last_modstamp = factory.LazyFunction(timezone.now)


class SyncLeaseFactory(DjangoModelFactory):
    """A free lease by default; pass `holder=` and `expires_at=` for a held one."""

    class Meta:
        model = SyncLease

    name = factory.Sequence(lambda n: f"lease-{n}")
    holder = ""
    expires_at = None


# Counted from one fixed hour, so two rows never get the same hour across a clock hour's turn.
_THIS_HOUR = timezone.now().replace(minute=0, second=0, microsecond=0)


def _hours_ago(n: int):
    """The start of the clock hour `n` hours back (rows are per whole hour)."""
    return _THIS_HOUR - timedelta(hours=n)


class ApiUsageHourFactory(DjangoModelFactory):
    """One hour's API calls; each new row goes one hour further back (hours are unique).

    Pass `hour=` when a test depends on the 24-hour window.
    """

    class Meta:
        model = ApiUsageHour

    hour = factory.Sequence(_hours_ago)
    calls = 10
    errors = 0


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


class WriteBackTestFactory(DjangoModelFactory):
    """A test write-back that made every record (the ids are made up: no org has them)."""

    class Meta:
        model = WriteBackTest

    instance_url = "https://instance.example.com"
    salesforce_ids = factory.Sequence(
        lambda n: {
            kind: f"{prefix}{n:012d}AAA"
            for kind, prefix in [("contact", "003"), ("inmail", "00T"), ("message", "00T"),
                                 ("call", "00T"), ("note", "069"), ("note_link", "06A")]
        }
    )  # fmt: skip


class CrmDataPurgeFactory(DjangoModelFactory):
    """A pending purge of imported CRM data, started from the command line."""

    class Meta:
        model = CrmDataPurge

    counts = factory.LazyFunction(lambda: {"contacts": {"to_delete": 0, "to_keep": 0}})


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.LazyAttribute(lambda user: user.email.lower())
    email = factory.Sequence(lambda n: f"seller{n}@example.com")


class SeatFactory(DjangoModelFactory):
    """A seat matched to a made-up active Salesforce user; `user__email=` names its holder."""

    class Meta:
        model = Seat

    user = factory.SubFactory(UserFactory)
    salesforce_user_id = factory.Sequence(lambda n: f"005{n:012d}AAA")
    salesforce_username = factory.LazyAttribute(lambda seat: seat.user.email)
    salesforce_email = factory.LazyAttribute(lambda seat: seat.user.email)
    salesforce_active = True


class SurveyTriggerFactory(DjangoModelFactory):
    class Meta:
        model = SurveyTrigger

    name = factory.Sequence(lambda n: f"Closed cases {n}")
    salesforce_object = "Case"
    email_field = "Contact.Email"
    survey = factory.SubFactory("tracking.tests.factories.SurveyFactory")
    captured_fields = factory.LazyFunction(lambda: ["CaseNumber", "Subject"])


class TriggerConditionFactory(DjangoModelFactory):
    class Meta:
        model = TriggerCondition

    trigger = factory.SubFactory(SurveyTriggerFactory)
    field = "Status"
    operator = RuleOperator.EQUALS
    value = "Closed"


class TriggerDeliveryFactory(DjangoModelFactory):
    class Meta:
        model = TriggerDelivery

    trigger = factory.SubFactory(SurveyTriggerFactory)
    kind = "flow"
    idempotency_key = factory.Sequence(lambda n: f"5008d00000000{n:02d}AAA:sha256:{n}")
    payload = "{}"
    record_ids = factory.LazyFunction(lambda: ["5008d0000000001AAA"])


def lead_contact(**fields):
    """A saved contact linked to a made-up Lead."""
    return ContactFactory(salesforce_object="Lead",
                          salesforce_id=f"00Q{ContactFactory._meta.next_sequence():012d}AAA",
                          **fields)  # fmt: skip


class DeleteBrakeFactory(DjangoModelFactory):
    """A brake holding a cycle's 30 deletions of 100 linked contacts (threshold 5)."""

    class Meta:
        model = DeleteBrake

    tripped_count = 30
    linked_count = 100
    threshold = 5


class PendingDeletionFactory(DjangoModelFactory):
    """A deletion decided for a Lead's contact (`record=` another record)."""

    class Meta:
        model = PendingDeletion

    class Params:
        record = factory.LazyFunction(lead_contact)

    content_type = factory.LazyAttribute(lambda row: ContentType.objects.get_for_model(row.record))
    object_id = factory.LazyAttribute(lambda row: row.record.pk)
    salesforce_object = "Lead"
    salesforce_id = factory.LazyAttribute(lambda row: row.record.salesforce_id)


class QuarantinedRecordFactory(DjangoModelFactory):
    """A Lead's contact in quarantine for 30 days; its row here is gone (`contact=` one
    to quarantine, with `**fields` of a new one otherwise)."""

    class Meta:
        model = QuarantinedRecord

    @classmethod
    def _create(cls, model_class, *args, contact=None, **fields):
        contact = contact or lead_contact()
        entry = quarantine_entry(contact, salesforce_object=contact.salesforce_object,
                                 days=30, now=timezone.now())  # fmt: skip
        type(contact).objects.filter(pk=contact.pk).delete()  # the caller keeps its pk
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
        return entry

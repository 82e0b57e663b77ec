"""factory-boy factories for every tracking model: the records (contacts, companies, the
opportunity mirror, documents, rooms, links, visits, activities), their sync history, API keys,
and surveys with their questions, invitations and responses."""

import datetime as dt

import factory
from django.contrib.contenttypes.models import ContentType
from factory.django import DjangoModelFactory

from tracking.choices import ActivityKind, Direction, EventStatus, LinkKind, Operation, Origin
from tracking.models import (
    Activity,
    ApiKey,
    Company,
    Contact,
    ContactEmailAlias,
    Document,
    Invitation,
    Link,
    Opportunity,
    Question,
    Response,
    Room,
    Survey,
    SyncEvent,
    Visit,
)
from tracking.models.surveys import QuestionKind


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Faker("company")
    domain = factory.Sequence(lambda n: f"company{n}.example.com")
    website = factory.LazyAttribute(lambda company: f"https://{company.domain}")
    origin = Origin.LOCAL


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    title = factory.Faker("job")
    origin = Origin.LOCAL


class ContactEmailAliasFactory(DjangoModelFactory):
    class Meta:
        model = ContactEmailAlias

    email = factory.Sequence(lambda n: f"merged{n}@example.com")
    contact = factory.SubFactory(ContactFactory)


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    salesforce_id = factory.Sequence(lambda n: f"006{n:015d}")
    name = factory.Sequence(lambda n: f"Deal {n}")
    stage = "Prospecting"
    company = factory.SubFactory(CompanyFactory)


WHEN = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    name = factory.Sequence(lambda n: f"Pitch deck {n}.pdf")
    url = factory.Sequence(lambda n: f"https://docs.example.com/documents/{n}")
    origin = Origin.LOCAL


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Deal room {n}")
    url = factory.Sequence(lambda n: f"https://docs.example.com/rooms/{n}")
    origin = Origin.LOCAL


class LinkFactory(DjangoModelFactory):
    """A document link; pass `kind=LinkKind.ROOM, document=None, room=RoomFactory()` for a room."""

    class Meta:
        model = Link

    external_id = factory.Sequence(lambda n: f"link-{n}")
    kind = LinkKind.DOCUMENT
    document = factory.SubFactory(DocumentFactory)
    room = None
    name = factory.LazyAttribute(lambda link: (link.document or link.room).name)
    account_name = factory.Faker("company")
    internal_url = factory.Sequence(lambda n: f"https://docs.example.com/internal/{n}")
    owner_email = factory.Sequence(lambda n: f"seller{n}@example.com")
    shared_at = WHEN
    origin = Origin.LOCAL


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    external_id = factory.Sequence(lambda n: f"visit-{n}")
    link = factory.SubFactory(LinkFactory)
    visitor_email = factory.Sequence(lambda n: f"visitor{n}@example.com")
    visitor_name = factory.Faker("name")
    company = factory.Faker("company")
    started_at = WHEN
    last_activity_at = WHEN
    duration_seconds = 120
    percent_viewed = 50.0
    origin = Origin.LOCAL


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    external_id = factory.Sequence(lambda n: f"activity-{n}")
    kind = ActivityKind.INMAIL
    author_email = factory.Sequence(lambda n: f"seller{n}@example.com")
    contact_email = factory.Sequence(lambda n: f"person{n}@example.com")
    contact_name = factory.Faker("name")
    subject = "Following up"
    body = "Hello,\nshall we talk next week?"
    occurred_at = WHEN
    origin = Origin.LOCAL


class SyncEventFactory(DjangoModelFactory):
    """An event of `record=` (a new contact by default); pass `run=` to tie it to a run."""

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


class ApiKeyFactory(DjangoModelFactory):
    """Pass `key=` to know the plaintext key: the model stores only its hash."""

    class Meta:
        model = ApiKey

    class Params:
        key = factory.Sequence(lambda n: f"{ApiKey.KEY_PREFIX}test-key-{n:06d}")

    name = factory.Sequence(lambda n: f"Host product {n}")
    prefix = factory.LazyAttribute(lambda api_key: api_key.key[: ApiKey.PREFIX_LENGTH])
    key_hash = factory.LazyAttribute(lambda api_key: ApiKey.hash_key(api_key.key))


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    name = factory.Sequence(lambda n: f"Case satisfaction {n}")
    email_subject = "How did we do, {Contact.FirstName}?"
    email_body = "Hello {Contact.FirstName},\n\nPlease tell us: {survey_url}\n"


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    key = factory.Sequence(lambda n: f"question_{n}")
    kind = QuestionKind.TEXT
    text = factory.Sequence(lambda n: f"Question {n}?")
    position = factory.Sequence(lambda n: n)


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    email = factory.Sequence(lambda n: f"respondent{n}@example.com")
    event_key = factory.Sequence(lambda n: f"trigger:500000000000{n:03d}:event")
    embedded_data = factory.LazyFunction(lambda: {"Contact.FirstName": "Ada"})


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    invitation = factory.SubFactory(InvitationFactory, status="answered")
    answers = factory.LazyFunction(dict)

"""factory-boy factories for every tracking model: the records, their sync history, API keys."""

import factory
from django.contrib.contenttypes.models import ContentType
from factory.django import DjangoModelFactory

from tracking.choices import Direction, EventStatus, Operation, Origin
from tracking.models import ApiKey, Company, Contact, Opportunity, SyncEvent


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


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    salesforce_id = factory.Sequence(lambda n: f"006{n:015d}")
    name = factory.Sequence(lambda n: f"Deal {n}")
    stage = "Prospecting"
    company = factory.SubFactory(CompanyFactory)


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

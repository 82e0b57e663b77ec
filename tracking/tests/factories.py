"""factory-boy factories for the local records and API keys."""

import factory
from factory.django import DjangoModelFactory

from tracking.choices import Origin
from tracking.models import ApiKey, Company, Contact, Opportunity


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


class ApiKeyFactory(DjangoModelFactory):
    """Pass `key=` to know the plaintext key: the model stores only its hash."""

    class Meta:
        model = ApiKey

    class Params:
        key = factory.Sequence(lambda n: f"{ApiKey.KEY_PREFIX}test-key-{n:06d}")

    name = factory.Sequence(lambda n: f"Host product {n}")
    prefix = factory.LazyAttribute(lambda api_key: api_key.key[: ApiKey.PREFIX_LENGTH])
    key_hash = factory.LazyAttribute(lambda api_key: ApiKey.hash_key(api_key.key))

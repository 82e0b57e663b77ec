"""The record services: pure helpers and the upserts' matching."""

import pytest

from tracking.models import Contact
from tracking.services import (
    RecordValidationError,
    UpsertStatus,
    contacts_upsert,
    normalize_domain,
)
from tracking.tests.factories import ContactFactory


@pytest.mark.parametrize(
    ("value", "domain"),
    [
        ("acme.com", "acme.com"),
        ("ACME.com", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("https://www.acme.com/about?x=1", "acme.com"),
        ("http://shop.acme.co.uk:8080/", "shop.acme.co.uk"),
        ("  acme.com.  ", "acme.com"),
        ("", ""),
    ],
)
def test_normalize_domain(value, domain):
    assert normalize_domain(value) == domain


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "given"),
    [("v@MÜNCHEN.de", "v@münchen.de"), ("anna@ÅLAND.example", "ANNA@åland.example")],
)
def test_contacts_upsert_matches_emails_in_any_case_of_non_ascii_letters(stored, given):
    # given: a contact stored before the API took only ASCII emails (or from the admin)
    contact = ContactFactory(email=stored)
    # when
    [result] = contacts_upsert(items=[{"email": given, "title": "CTO"}])
    # then: the same contact on SQLite as on PostgreSQL
    assert (result.record.pk, result.status) == (contact.pk, UpsertStatus.UPDATED)
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_contacts_upsert_rejects_one_email_twice_in_non_ascii_case():
    with pytest.raises(RecordValidationError) as raised:
        contacts_upsert(items=[{"email": "v@münchen.de"}, {"email": "V@MÜNCHEN.DE"}])

    assert [error.index for error in raised.value.errors] == [1]
    assert not Contact.objects.exists()

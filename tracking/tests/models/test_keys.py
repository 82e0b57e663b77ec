"""Matching keys: computed in Python, stored beside the value, the same on every database."""

import pytest
from django.forms import modelform_factory

from tracking.models import Company, Contact
from tracking.models.keys import match_key, with_key_fields
from tracking.tests.factories import ContactFactory


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("v@MÜNCHEN.de", "v@münchen.de"),
        ("  Acme  ", "acme"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("Cafe\u0301", "café"),  # a decomposed é is the same name as the composed one
    ],
)
def test_match_key_folds_case_and_normalises(value, key):
    assert match_key(value) == key


def test_assigning_the_value_sets_its_key():
    contact = Contact(email="Ada@ÅLAND.example")
    assert contact.email_key == "ada@åland.example"

    contact.email = "GRACE@example.com"

    assert contact.email_key == "grace@example.com"


@pytest.mark.django_db
def test_a_stored_key_survives_reloading_and_saving_the_same_value():
    # given: a key the migration gave a later duplicate
    contact = ContactFactory(email="v@münchen.de")
    Contact.objects.filter(pk=contact.pk).update(email_key="v@münchen.de (duplicate of #1)")
    # when
    contact = Contact.objects.get(pk=contact.pk)
    contact.email = "v@münchen.de"
    contact.save()
    # then
    contact.refresh_from_db()
    assert contact.email_key == "v@münchen.de (duplicate of #1)"


def test_bulk_updates_of_a_keyed_value_write_its_key():
    assert with_key_fields(Company, ["name", "website"]) == ["name", "website", "name_key"]
    assert with_key_fields(Contact, ["title"]) == ["title"]


@pytest.mark.django_db
def test_admin_form_reports_an_email_taken_in_another_case_on_the_email_field():
    ContactFactory(email="v@MÜNCHEN.de")
    form_class = modelform_factory(Contact, fields=["email", "last_name"])

    form = form_class(data={"email": "v@münchen.de", "last_name": "Vogel"})

    assert not form.is_valid()
    assert list(form.errors) == ["email"]

"""The preview's store: what it keeps of the pull's writes, what it keeps of the push's
(only the links, by key), and that a record created twice is counted once."""

import pytest
from django.utils import timezone

from integrations.sync.preview.collector import Linked, PreviewStore
from tracking.models import Contact

pytestmark = pytest.mark.django_db


def test_the_push_keeps_only_the_links_it_made(make_contact):
    store = PreviewStore()
    contact = make_contact("ada@example.com")
    (batch_row,) = store.current([Contact.objects.get(pk=contact.pk)])
    batch_row.salesforce_id, batch_row.salesforce_object = "00QPV0000000001AAA", "Lead"
    batch_row.salesforce_synced_at = timezone.now()
    store.update(Contact, [batch_row], ["salesforce_id"])
    assert store.pending(Contact) == []
    assert not store._left[Contact]
    assert store.linked_by_email(["ada@example.com"]) == {
        "ada@example.com": Linked("00QPV0000000001AAA", "Lead")
    }


def test_the_pull_keeps_rows_left_to_push_and_indexes_what_it_links(make_contact):
    store = PreviewStore()
    contact = make_contact("ada@example.com")
    contact.salesforce_id, contact.salesforce_object = "003PV0000000001AAA", "Contact"
    contact.salesforce_synced_at, contact.local_modified_at = timezone.now(), None
    store.update(Contact, [contact], ["salesforce_id"])
    assert store.pending(Contact) == []  # settled: dropped from the push, not added
    assert store.linked(Contact, ["003PV0000000001AAA"]) == {"003PV0000000001AAA": contact}
    contact.local_modified_at = timezone.now()  # a local value won: still to push
    store.update(Contact, [contact], ["salesforce_id"])
    assert store.pending(Contact) == [contact.pk]


def test_a_row_created_by_an_earlier_batch_is_an_update():
    store = PreviewStore()
    new = Contact(email="ada@example.com", salesforce_id="00QPV0000000001AAA")
    store.create(Contact, [new])
    new.salesforce_id = "003PV0000000001AAA"  # a Contact with its email takes it over
    store.create(Contact, [new])
    assert store.tally["contacts"] == {"created": 1, "updated": 1}

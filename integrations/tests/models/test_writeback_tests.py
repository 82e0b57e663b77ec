"""A write-back test row: its "View in CRM" links, what it says about the owner, and what it
remembers of each create."""

import pytest
from django.utils import timezone

from integrations.tests.factories import WriteBackTestFactory

pytestmark = pytest.mark.django_db


def test_records_link_to_the_instance_in_the_shown_order_without_the_notes_link():
    test = WriteBackTestFactory(instance_url="https://acme.my.salesforce.com")

    records = test.records()

    assert [record.label for record in records] == ["Contact", "InMail", "Message", "Call", "Note"]
    contact = records[0]
    assert contact.url == f"https://acme.my.salesforce.com/{test.salesforce_ids['contact']}"


def test_a_create_awaiting_its_answer_is_unconfirmed_and_has_no_link():
    test = WriteBackTestFactory(salesforce_ids={"contact": "003000000000001AAA", "note": ""})

    assert [record.label for record in test.records()] == ["Contact"]
    assert test.unconfirmed == ["Note"]


def test_remember_adds_ids_and_forgets_refused_creates():
    test = WriteBackTestFactory(salesforce_ids={"contact": "003000000000001AAA"})

    test.remember({"inmail": "", "call": ""})
    test.remember({"inmail": "00T000000000001AAA"}, forget=["call"])

    test.refresh_from_db()
    assert test.salesforce_ids == {"contact": "003000000000001AAA", "inmail": "00T000000000001AAA"}


def test_a_record_made_after_a_clean_up_opens_the_test_again():
    test = WriteBackTestFactory(salesforce_ids={}, cleaned_at=timezone.now())

    test.remember({"note": ""})
    assert test.cleaned_at is not None
    test.remember({"note": "069000000000001AAA"})

    test.refresh_from_db()
    assert test.cleaned_at is None


@pytest.mark.parametrize(
    ("email", "user_id", "said"),
    [
        ("sam@example.com", "005000000000002AAA", "Owned by the Salesforce user with the email "
         "sam@example.com."),
        ("sam@example.com", "", "sam@example.com has no active Salesforce user: the integration "
         "user owns the test records."),
        ("", "", "Owned by the integration user (no owner email given)."),
    ],
)  # fmt: skip
def test_the_owner_message_says_who_owns_the_records(email, user_id, said):
    test = WriteBackTestFactory(owner_email=email, owner_user_id=user_id)

    assert test.owner_message == said

"""Per-record sync history pages: who may read them, what they show, how they scale."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tracking.choices import Direction, EventStatus, Operation
from tracking.models import SyncEvent
from tracking.tests.factories import ContactFactory, SyncEventFactory

pytestmark = pytest.mark.django_db


def history_url(contact):
    return reverse("records:history", args=["contacts", contact.pk])


def test_url_is_the_documented_path():
    assert reverse("records:history", args=["contacts", 7]) == "/records/contacts/7/history/"


def test_owner_sees_changes_errors_and_hints(client, django_user_model):
    owner = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    contact = ContactFactory(owner=owner, salesforce_id="00Q000000000001AAA")
    SyncEventFactory(record=contact, changes=[{"field": "Title", "old": "Dev", "new": "CTO"}])
    SyncEventFactory(
        record=contact, status=EventStatus.ERROR, operation=Operation.ERROR,
        error_code="REQUIRED_FIELD_MISSING", error_message="Required fields are missing",
        hint="Set a company or choose record type Contact.",
    )  # fmt: skip
    client.force_login(owner)
    html = client.get(history_url(contact)).content.decode()
    assert "Title" in html
    assert "Dev" in html
    assert "CTO" in html
    assert "(empty)" not in html
    assert "REQUIRED_FIELD_MISSING" in html
    assert "Set a company or choose record type Contact." in html
    assert "00Q000000000001AAA" in html


def test_blank_values_show_as_empty(admin_client):
    contact = ContactFactory()
    SyncEventFactory(record=contact, changes=[{"field": "title", "old": "", "new": "CTO"}])
    html = admin_client.get(history_url(contact)).content.decode()
    assert "(empty)</span> → CTO" in html


def test_other_members_get_404(client, django_user_model):
    owner = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    other = django_user_model.objects.create_user("other", "other@example.com", "pw-12345678")
    contact = ContactFactory(owner=owner)
    client.force_login(other)
    assert client.get(history_url(contact)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client):
    contact = ContactFactory()
    response = client.get(history_url(contact))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_can_read_any_history(admin_client):
    contact = ContactFactory()
    SyncEventFactory(record=contact, direction=Direction.INBOUND)
    response = admin_client.get(history_url(contact))
    assert response.status_code == 200
    assert "From Salesforce" in response.content.decode()


def test_100000_rows_render_with_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    contact = ContactFactory()
    content_type = ContentType.objects.get_for_model(contact)
    SyncEvent.objects.bulk_create(
        [
            SyncEvent(
                content_type=content_type, object_id=contact.pk, direction=Direction.OUTBOUND,
                operation=Operation.UPDATE, changes=[{"field": "Title", "old": i, "new": i + 1}],
            )
            for i in range(100_000)
        ],
        batch_size=5_000,
    )  # fmt: skip
    with django_assert_max_num_queries(12):
        first = admin_client.get(history_url(contact))
    with django_assert_max_num_queries(12):
        last = admin_client.get(history_url(contact) + "?page=2000")
    assert "100000 changes" in first.content.decode()
    assert "Page 2000 of 2000" in last.content.decode()

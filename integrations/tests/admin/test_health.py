"""Sync health: errors grouped by type, with their explanation, fix, records and "retry all"."""

import pytest
from django.test import Client
from django.urls import reverse

from integrations.choices import EventStatus, Operation, RunStatus
from integrations.models import SyncRun
from integrations.salesforce.hints import HINTS
from tracking.models import SyncEvent
from tracking.tests.factories import CompanyFactory, ContactFactory, SyncEventFactory

HEALTH = reverse("admin:tracking_syncevent_health")
RETRY = reverse("admin:tracking_syncevent_health_retry")


def failure(record=None, *, code="STRING_TOO_LONG", sobject="Lead", **fields):
    return SyncEventFactory(
        record=record or ContactFactory(),
        status=EventStatus.ERROR,
        operation=Operation.ERROR,
        error_code=code,
        error_message=f"{code}: Salesforce's own words",
        salesforce_object=sobject,
        **fields,
    )


@pytest.fixture
def errors(db):
    """Two records failing twice each with one code on Leads, one company with another."""
    contacts = [ContactFactory(), ContactFactory()]
    for contact in contacts * 2:
        failure(contact)
    failure(CompanyFactory(), code="DUPLICATES_DETECTED", sobject="Account")
    SyncEventFactory()  # a success is no error
    return contacts


@pytest.mark.django_db
def test_errors_are_grouped_by_code_and_object_with_the_records_affected(admin_client, errors):
    html = admin_client.get(HEALTH).content.decode()

    assert 'data-group="STRING_TOO_LONG Lead"' in html
    assert "2 records" in html  # two contacts, four failed attempts
    assert "4 failed attempts" in html
    assert 'data-group="DUPLICATES_DETECTED Account"' in html
    assert "1 record" in html
    assert "A value is longer than the Salesforce field allows." in html  # what it means
    assert "Shorten it." in html  # what to do
    assert "STRING_TOO_LONG: Salesforce&#x27;s own words" in html  # an example of the message
    records = "?status__exact=error&amp;error_code=STRING_TOO_LONG&amp;salesforce_object=Lead"
    assert records in html


@pytest.mark.django_db
def test_the_affected_records_link_lists_that_groups_errors_only(admin_client, errors):
    url = f"{reverse('admin:tracking_syncevent_changelist')}?status__exact=error"
    response = admin_client.get(f"{url}&error_code=STRING_TOO_LONG&salesforce_object=Lead")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 4


@pytest.mark.django_db
def test_no_errors_says_the_sync_is_healthy(admin_client):
    SyncEventFactory()
    html = admin_client.get(HEALTH).content.decode()
    assert "No sync errors" in html


@pytest.mark.django_db
def test_retry_all_resends_one_groups_records(
    admin_client, errors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:  # the enqueue, not run here
        response = admin_client.post(
            RETRY, {"error_code": "STRING_TOO_LONG", "salesforce_object": "Lead"}, follow=True
        )

    run = SyncRun.objects.get()
    assert run.status == RunStatus.PENDING
    assert len(callbacks) == 1
    assert f"2 records with STRING_TOO_LONG on Lead will be sent again in run {run.pk}" in (
        response.content.decode()
    )
    assert SyncEvent.objects.filter(error_code="STRING_TOO_LONG", status="retried").count() == 4
    assert SyncEvent.objects.get(error_code="DUPLICATES_DETECTED").status == EventStatus.ERROR
    for contact in errors:
        contact.refresh_from_db()
        assert contact.local_modified_at is not None


@pytest.mark.django_db
def test_retry_all_of_a_group_without_errors_changes_nothing(admin_client, errors):
    response = admin_client.post(
        RETRY, {"error_code": "INVALID_FIELD", "salesforce_object": "Lead"}, follow=True
    )
    assert "No failed records with INVALID_FIELD on Lead" in response.content.decode()
    assert not SyncRun.objects.exists()


@pytest.mark.django_db
def test_retry_all_needs_post_and_a_csrf_token(admin_user, errors):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    data = {"error_code": "STRING_TOO_LONG", "salesforce_object": "Lead"}
    assert client.get(RETRY, data).status_code == 405
    assert client.post(RETRY, data).status_code == 403
    assert not SyncRun.objects.exists()


@pytest.mark.django_db
def test_retry_all_needs_permission_to_start_runs(client, django_user_model, errors):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    response = client.post(RETRY, {"error_code": "STRING_TOO_LONG", "salesforce_object": "Lead"})
    assert response.status_code == 403
    assert not SyncRun.objects.exists()


@pytest.mark.django_db
def test_dashboard_links_to_sync_health_only_when_there_are_errors(admin_client):
    assert HEALTH not in admin_client.get("/admin/").content.decode()
    failure()
    html = admin_client.get("/admin/").content.decode()
    assert HEALTH in html
    assert "1 record with sync errors" in html


def test_every_hint_splits_into_what_it_means_and_what_to_do():
    from integrations.salesforce.hints import explain_and_fix

    for code in HINTS:
        meaning, fix = explain_and_fix(code)
        assert meaning
        assert fix, code


@pytest.mark.browser
def test_retry_all_in_the_browser(browser_page, errors):
    page = browser_page
    page.goto(HEALTH)
    group = page.locator('[data-group="STRING_TOO_LONG Lead"]')
    assert "2 records" in group.inner_text()
    group.get_by_role("button", name="Retry all").click()

    assert "will be sent again" in page.locator(".messagelist .success").inner_text()
    assert SyncEvent.objects.filter(status="retried").count() == 4

"""The sync runs and sync events lists: readable values, and the useful columns in view."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.admin.display import duration_text
from integrations.choices import EventStatus, Operation, RunStatus
from integrations.tests.factories import SyncRunFactory
from tracking.tests.factories import ContactFactory, SyncEventFactory

RUNS = reverse("admin:integrations_syncrun_changelist")
EVENTS = reverse("admin:tracking_syncevent_changelist")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.312, "0.3 s"), (12.04, "12.0 s"), (125, "2 min 5 s"), (3 * 3600 + 60, "3 h 1 min")],
)
def test_durations_read_like_people_say_them(seconds, text):
    assert duration_text(timedelta(seconds=seconds)) == text


def finished_run(**fields):
    start = timezone.now() - timedelta(minutes=1)
    return SyncRunFactory(
        status=RunStatus.PARTIAL,
        started_at=start,
        finished_at=start + timedelta(seconds=0.3),
        api_calls=17,
        counts={"Lead": {"created": 3, "errors": 1}, "Contact": {"updated": 2}},
        error="2 records failed: REQUIRED_FIELD_MISSING",
        **fields,
    )


@pytest.mark.django_db
def test_runs_list_shows_duration_time_zone_counts_and_a_link_to_the_events(admin_client):
    run = finished_run()
    html = admin_client.get(RUNS).content.decode()
    assert "0.3 s" in html
    assert " UTC" in html
    assert "Lead: created 3, errors 1" in html
    assert f"{EVENTS}?run__exact={run.pk}" in html


@pytest.mark.django_db
def test_a_runs_events_link_lists_that_runs_events(admin_client):
    run = finished_run()
    SyncEventFactory(run=run)
    SyncEventFactory()
    response = admin_client.get(f"{EVENTS}?run__exact={run.pk}")
    assert response.context["cl"].result_count == 1


@pytest.mark.django_db
def test_events_name_their_record_and_show_the_time_zone(admin_client):
    contact = ContactFactory(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    SyncEventFactory(record=contact)
    html = admin_client.get(EVENTS).content.decode()
    assert "Ada Lovelace &lt;ada@example.com&gt;" in html
    assert "contact " + str(contact.pk) not in html
    assert " UTC" in html


def columns_in_view(page, headers: list[str]) -> dict[str, bool]:
    """Whether each column's header lies fully in view: inside the viewport and inside the
    list's own scrolling box (which clips what does not fit)."""
    box = page.locator("#changelist .results").bounding_box()
    width = min(page.viewport_size["width"], box["x"] + box["width"])
    seen = {}
    for header in headers:
        box = page.locator("#result_list thead th", has_text=header).first.bounding_box()
        seen[header] = box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    return seen


@pytest.mark.browser
def test_runs_list_keeps_counts_and_api_calls_in_view_at_1366_px(browser_page):
    for _ in range(3):
        finished_run(hint="Salesforce needs a last name: set one on the contact. " * 3)
    browser_page.goto(RUNS)
    seen = columns_in_view(browser_page, ["Records", "API calls", "Error"])
    assert all(seen.values()), seen


@pytest.mark.browser
def test_errors_list_keeps_error_code_and_hint_in_view_at_1366_px(browser_page):
    contact = ContactFactory(first_name="Grace", last_name="Hopper", email="grace@example.com")
    for _ in range(3):
        SyncEventFactory(
            record=contact,
            status=EventStatus.ERROR,
            operation=Operation.ERROR,
            salesforce_id="00Q000000000001AAA",
            error_code="FIELD_INTEGRITY_EXCEPTION",
            hint="Salesforce rejected a value that conflicts with another field, e.g. a state "
            "or country that is not in the org's state/country picklists. Correct the value.",
        )
    browser_page.goto(f"{EVENTS}?status__exact=error")
    seen = columns_in_view(browser_page, ["Error code", "Hint", "Record"])
    assert all(seen.values()), seen

"""Each alert condition: it fires once (one alert, one email to the staff), a second
evaluation sends nothing new, and the alert clears itself when the condition is over."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from integrations.alerts.conditions import CONDITIONS, AlertContext, trigger_failing
from integrations.choices import BrakeStatus, ConnectionStatus, RunStatus
from integrations.models import (
    Alert,
    DeleteBrake,
    SalesforceConnection,
    SurveyTrigger,
    SyncSettings,
)
from integrations.services.alerts import alerts_evaluate
from integrations.tests.factories import (
    ApiUsageHourFactory,
    DeleteBrakeFactory,
    SalesforceConnectionFactory,
    SurveyTriggerFactory,
    SyncRunFactory,
    TriggerDeliveryFactory,
)
from tracking.tests.factories import ContactFactory, SyncEventFactory

pytestmark = pytest.mark.django_db

SITE = "https://crm.example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


def settings_set(**values) -> SyncSettings:
    settings = SyncSettings.load()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def finished(status: str, *, ago: timedelta = timedelta(0), **fields):
    return SyncRunFactory(status=status, finished_at=timezone.now() - ago, **fields)


# -- how each condition comes to hold, and how it is over again ---------------------------


def api_org_holds():
    SalesforceConnectionFactory(org_api_used=8_500, org_api_max=10_000)


def api_org_over():
    SalesforceConnectionFactory(org_api_used=1_000)


def api_app_holds():
    SalesforceConnectionFactory(api_cap_calls=100)
    ApiUsageHourFactory(hour=timezone.now().replace(minute=0, second=0, microsecond=0), calls=95)


def api_app_over():
    SalesforceConnectionFactory(api_cap_calls=1_000)


def auth_holds():
    SalesforceConnectionFactory(
        status=ConnectionStatus.ERROR, last_error_code="invalid_grant",
        last_error="expired access/refresh token", last_error_hint="Reconnect Salesforce.",
        last_checked_at=timezone.now(),
    )  # fmt: skip


def auth_over():
    SalesforceConnection.load().mark_connected()


def cycles_failing_holds():
    for _ in range(3):
        finished(RunStatus.FAILED, error="SERVER_UNAVAILABLE: down", hint="Retried by itself.")


def cycles_over():
    finished(RunStatus.SUCCEEDED)


def cycles_stale_holds():
    settings_set(sync_enabled=True, sync_interval_minutes=15)
    finished(RunStatus.SUCCEEDED, ago=timedelta(minutes=31))
    finished(RunStatus.FAILED, ago=timedelta(minutes=5), error="Unexpected error: boom")


def errors_spike_holds():
    settings_set(alert_error_spike=2)
    run = finished(RunStatus.PARTIAL)
    for _ in range(3):
        SyncEventFactory(run=run, status="error", error_code="INVALID_EMAIL_ADDRESS")


def trigger_failing_holds():
    trigger = SurveyTriggerFactory(name="Closed cases")
    TriggerDeliveryFactory.create_batch(3, trigger=trigger, status="failed")


def trigger_failing_over():
    TriggerDeliveryFactory(trigger=SurveyTrigger.objects.get(), status="processed")


def delete_brake_holds():
    DeleteBrakeFactory()


def delete_brake_over():
    DeleteBrake.objects.update(status=BrakeStatus.CANCELLED)


@dataclass(frozen=True)
class Case:
    key: str
    holds: object
    over: object
    link: str


CASES = [
    Case("api_org", api_org_holds, api_org_over, "/admin/integrations/salesforceconnection/"),
    Case("api_app", api_app_holds, api_app_over, "/admin/integrations/salesforceconnection/"),
    Case("auth", auth_holds, auth_over, "/admin/integrations/salesforceconnection/"),
    Case("cycles_failing", cycles_failing_holds, cycles_over, "/admin/integrations/syncrun/"),
    Case("cycles_stale", cycles_stale_holds, cycles_over, "/admin/integrations/syncrun/"),
    Case("errors_spike:INVALID_EMAIL_ADDRESS", errors_spike_holds, cycles_over,
         "/admin/tracking/syncevent/?status__exact=error&error_code=INVALID_EMAIL_ADDRESS"),
    Case("trigger_failing:", trigger_failing_holds, trigger_failing_over,
         "/admin/integrations/triggerdelivery/?trigger__id__exact="),
    Case("delete_brake", delete_brake_holds, delete_brake_over,
         "/admin/integrations/deletebrake/"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case.key.rstrip(":") for case in CASES])
def test_alert_fires_once_and_clears_when_the_condition_is_over(case, admin_user):
    # given
    case.holds()
    # when
    first = alerts_evaluate()
    second = alerts_evaluate()
    # then: one alert, one email
    alert = Alert.objects.get()
    assert alert.key.startswith(case.key)
    assert alert.key.split(":")[0] == case.holds.__name__.removesuffix("_holds")
    assert alert.link.startswith(case.link)
    assert [item.pk for item in first.opened] == [alert.pk]
    assert (second.opened, second.emailed) == ([], 0)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [admin_user.email]
    assert alert.title in email.subject
    assert f"What to do: {SITE}{alert.link}" in email.body
    assert alert.emailed_at is not None
    # when the condition is over
    case.over()
    assert alerts_evaluate().cleared == 1
    # then
    alert.refresh_from_db()
    assert alert.cleared_at is not None
    assert not Alert.objects.open().exists()
    assert len(mail.outbox) == 1


def test_every_condition_has_a_case():
    covered = {case.holds.__name__.removesuffix("_holds") for case in CASES}
    assert covered == {condition.__name__ for condition in CONDITIONS}


def test_nothing_holds_on_a_fresh_installation(admin_user):
    assert alerts_evaluate().opened == []
    assert mail.outbox == []


def test_two_error_codes_raise_two_alerts(admin_user):
    settings_set(alert_error_spike=1)
    run = finished(RunStatus.PARTIAL)
    for code in ("INVALID_EMAIL_ADDRESS", "STRING_TOO_LONG"):
        SyncEventFactory.create_batch(2, run=run, status="error", error_code=code)
    SyncEventFactory(run=run, status="error", error_code="REQUIRED_FIELD_MISSING")  # only one

    alerts_evaluate()

    assert sorted(Alert.objects.values_list("key", flat=True)) == [
        "errors_spike:INVALID_EMAIL_ADDRESS", "errors_spike:STRING_TOO_LONG",
    ]  # fmt: skip
    assert len(mail.outbox) == 2


def test_records_failing_again_as_before_end_the_spike(admin_user):
    # given a spike: three records failed with one code
    settings_set(alert_error_spike=2)
    contacts = ContactFactory.create_batch(3)
    first = finished(RunStatus.PARTIAL, ago=timedelta(minutes=15))
    for contact in contacts:
        SyncEventFactory(record=contact, run=first, status="error", error_code="STRING_TOO_LONG")
    assert [alert.key for alert in alerts_evaluate().opened] == ["errors_spike:STRING_TOO_LONG"]
    # when the next run tries them again and they fail the same way
    again = finished(RunStatus.PARTIAL)
    for contact in contacts:
        SyncEventFactory(record=contact, run=again, status="error", error_code="STRING_TOO_LONG")
    # then nothing is new: the spike is over
    assert alerts_evaluate().cleared == 1


def test_a_first_failure_another_code_or_a_failure_after_a_success_is_new(admin_user):
    settings_set(alert_error_spike=1)
    c0, c1, c2, c3 = ContactFactory.create_batch(4)
    first = finished(RunStatus.PARTIAL, ago=timedelta(minutes=15))
    for contact, status, code in (
        (c0, "error", "STRING_TOO_LONG"),
        (c1, "error", "STRING_TOO_LONG"),
        (c2, "ok", ""),
    ):
        SyncEventFactory(record=contact, run=first, status=status, error_code=code)
    again = finished(RunStatus.PARTIAL)
    for contact, code, direction in (
        (c0, "STRING_TOO_LONG", "outbound"),  # as before: not new
        (c1, "INVALID_FIELD", "outbound"),  # another code
        (c2, "STRING_TOO_LONG", "outbound"),  # after a success
        (c3, "STRING_TOO_LONG", "outbound"),  # its first attempt
        (c0, "INVALID_FIELD", "inbound"),  # its first attempt in that direction
    ):  # fmt: skip
        SyncEventFactory(record=contact, run=again, status="error", error_code=code,
                         direction=direction)  # fmt: skip

    opened = alerts_evaluate().opened

    assert sorted((alert.key, alert.details["count"]) for alert in opened) == [
        ("errors_spike:INVALID_FIELD", 2), ("errors_spike:STRING_TOO_LONG", 2),
    ]  # fmt: skip


def test_errors_of_an_older_run_do_not_count(admin_user):
    settings_set(alert_error_spike=1)
    old = finished(RunStatus.PARTIAL, ago=timedelta(hours=1))
    SyncEventFactory.create_batch(2, run=old, status="error", error_code="STRING_TOO_LONG")
    finished(RunStatus.SUCCEEDED)

    assert alerts_evaluate().opened == []


def test_skipped_runs_neither_fail_nor_break_a_series_of_failures(admin_user):
    settings_set(alert_failed_cycles=2)
    finished(RunStatus.FAILED, error="first")
    finished(RunStatus.SKIPPED, error="Another sync run is in progress.")
    finished(RunStatus.FAILED, error="second")

    alert = alerts_evaluate().opened[0]

    assert alert.title == "The last 2 sync runs failed"
    assert "second" in alert.message


def test_a_trigger_still_retrying_is_not_failing(admin_user):
    trigger = SurveyTriggerFactory()
    TriggerDeliveryFactory.create_batch(3, trigger=trigger, status="failed")
    TriggerDeliveryFactory(trigger=trigger, status="received", attempts=2)  # not given up yet

    assert [alert.key for alert in alerts_evaluate().opened] == [f"trigger_failing:{trigger.pk}"]


def test_every_triggers_last_deliveries_are_read_in_two_queries(django_assert_num_queries):
    failing = [SurveyTriggerFactory() for _ in range(4)]
    for trigger in failing:
        TriggerDeliveryFactory.create_batch(3, trigger=trigger, status="failed")
    fine = SurveyTriggerFactory()
    TriggerDeliveryFactory.create_batch(2, trigger=fine, status="failed")
    TriggerDeliveryFactory(trigger=fine, status="processed")
    context = AlertContext.load()

    with django_assert_num_queries(2):
        holding = trigger_failing(context)

    assert [item.key for item in holding] == [f"trigger_failing:{t.pk}" for t in failing]


def test_evaluating_only_some_conditions_leaves_the_other_alerts_alone(admin_user):
    # given an open alert of another condition that is over, and another that would hold
    cycles_failing_holds()
    alerts_evaluate()
    cycles_over()
    errors_spike_holds()
    trigger_failing_holds()
    # when
    outcome = alerts_evaluate(only=(trigger_failing,))
    # then
    assert [alert.key.split(":")[0] for alert in outcome.opened] == ["trigger_failing"]
    assert outcome.cleared == 0
    still_open = Alert.objects.open().values_list("key", flat=True)
    assert sorted(key.split(":")[0] for key in still_open) == ["cycles_failing", "trigger_failing"]


def test_a_disabled_trigger_clears_its_alert(admin_user):
    trigger = SurveyTriggerFactory()
    TriggerDeliveryFactory.create_batch(3, trigger=trigger, status="failed")
    alerts_evaluate()

    trigger.enabled = False
    trigger.save()

    assert alerts_evaluate().cleared == 1


def test_no_app_share_alert_without_a_cap(admin_user):
    SalesforceConnectionFactory(api_cap_calls=None, api_cap_percent=None)
    ApiUsageHourFactory(calls=1_000_000)

    assert alerts_evaluate().opened == []


def test_a_stale_sync_with_a_refused_login_raises_only_the_login_alert(admin_user):
    cycles_stale_holds()
    auth_holds()

    assert [alert.key for alert in alerts_evaluate().opened] == ["auth"]


def test_the_auth_alert_waits_while_a_run_succeeded_after_the_error(admin_user):
    auth_holds()
    finished(RunStatus.SUCCEEDED)

    assert alerts_evaluate().opened == []

"""The conditions that raise alerts, one small function each, and their registry.

A condition takes the `AlertContext` and returns the alerts that hold now (usually none or
one; one per error code or trigger where a key names an instance). Each `Holding` has a
stable key (the condition's name, or the name, ":" and the instance), a title, a message
saying what happened and how to fix it, and the console page that explains it. Adding a
condition is one function here plus its name in `CONDITIONS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from integrations.alerts.record_errors import new_error_counts
from integrations.choices import ConnectionStatus, EventStatus, Lane, RunStatus
from integrations.models import (
    ApiUsageHour,
    SalesforceConnection,
    SurveyTrigger,
    SyncRun,
    SyncSettings,
    TriggerDelivery,
)
from integrations.models.triggers import DeliveryStatus
from integrations.salesforce.errors import AUTH_FAILURE_CODES
from integrations.salesforce.hints import hint_for
from integrations.selectors import DELETE_BRAKE_URL, delete_brake_holding

# Runs that ran a cycle (a skipped run was turned away before it started one).
CYCLE_OUTCOMES = (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)
# A run with record errors still finished its cycle: record errors have their own alert.
CYCLE_SUCCESSES = (RunStatus.SUCCEEDED, RunStatus.PARTIAL)


@dataclass(frozen=True)
class AlertContext:
    """What every condition reads, loaded once per evaluation."""

    settings: SyncSettings
    connection: SalesforceConnection
    now: datetime

    @classmethod
    def load(cls) -> AlertContext:
        return cls(SyncSettings.load(), SalesforceConnection.load(), timezone.now())


@dataclass(frozen=True)
class Holding:
    """An alert that holds now: what the open alert row is made of."""

    key: str
    title: str
    message: str
    link: str
    details: dict = field(default_factory=dict)


Condition = Callable[[AlertContext], Iterable[Holding]]


def api_org(context: AlertContext) -> list[Holding]:
    """The org's 24-hour API usage (all apps, from /limits) passed its threshold."""
    connection, threshold = context.connection, context.settings.alert_api_org_percent
    percent = connection.org_usage_percent
    if percent is None or percent < threshold:
        return []
    return [Holding(
        key="api_org",
        title=f"The org has used {threshold}% or more of its daily API requests",
        message=(
            f"Salesforce counts the calls of every app against the org's 24-hour limit: "
            f"{connection.org_api_used:,} of {connection.org_api_max:,} are used ({percent}%). "
            "When none are left, the sync pauses until older calls leave the 24-hour window. "
            "Lower other integrations' usage, ask Salesforce for a higher limit, or set an API "
            "cap for CRM Bridge on the connection page."
        ),
        link=_connection_url(),
        details={"percent": percent, "used": connection.org_api_used,
                 "max": connection.org_api_max},
    )]  # fmt: skip


def api_app(context: AlertContext) -> list[Holding]:
    """CRM Bridge's own calls in 24 hours passed its threshold of the cap it may use."""
    cap, threshold = context.connection.app_cap, context.settings.alert_api_app_percent
    if not cap:
        return []
    calls = ApiUsageHour.calls_in_last_24h(now=context.now)
    percent = round(100 * calls / cap, 1)
    if percent < threshold:
        return []
    return [Holding(
        key="api_app",
        title=f"CRM Bridge has used {threshold}% or more of its API cap",
        message=(
            f"CRM Bridge made {calls:,} API calls in the last 24 hours; its cap is {cap:,} "
            f"({percent}%). At the cap the sync pauses and resumes by itself as older calls "
            "leave the 24-hour window. Raise the cap on the connection page if the org can "
            "spare the calls, or sync less often."
        ),
        link=_connection_url(),
        details={"percent": percent, "calls": calls, "cap": cap},
    )]  # fmt: skip


def auth(context: AlertContext) -> list[Holding]:
    """Salesforce refused the login (the stored error says so) and no run succeeded since."""
    connection = context.connection
    if not auth_failed(connection) or _succeeded_since(connection.last_checked_at):
        return []
    answer = sentence(f"{connection.last_error_code}: {connection.last_error}")
    return [Holding(
        key="auth",
        title="Salesforce refused CRM Bridge's login: the sync has stopped",
        message=(
            f"Salesforce answered {answer} "
            f"{connection.last_error_hint} Then check or reconnect Salesforce on the connection "
            "page; the sync goes on where it stopped."
        ),
        link=_connection_url(),
        details={"code": connection.last_error_code},
    )]  # fmt: skip


def cycles_failing(context: AlertContext) -> list[Holding]:
    """The sync lane's last few runs all failed."""
    count = context.settings.alert_failed_cycles
    runs = list(SyncRun.objects.filter(lane=Lane.SYNC, status__in=CYCLE_OUTCOMES)
                .order_by("-created_at", "-pk")[:count])  # fmt: skip
    if len(runs) < count or any(run.status != RunStatus.FAILED for run in runs):
        return []
    newest = runs[0]
    runs_text = "sync run" if count == 1 else f"{count} sync runs"
    return [Holding(
        key="cycles_failing",
        title=f"The last {runs_text} failed",
        message=f"Sync run {newest.pk} failed: {sentence(newest.error)} {newest.hint}".strip(),
        link=reverse("admin:integrations_syncrun_change", args=[newest.pk]),
        details={"runs": [run.pk for run in runs]},
    )]  # fmt: skip


def cycles_stale(context: AlertContext) -> list[Holding]:
    """The sync is on, yet no run finished its cycle for two sync intervals (a refused login
    has its own alert). With no successful run ever, the time counts from the settings' last
    save."""
    settings = context.settings
    if not settings.sync_enabled or auth_failed(context.connection):
        return []
    last = SyncRun.objects.filter(lane=Lane.SYNC, status__in=CYCLE_SUCCESSES).aggregate(
        last=Max("finished_at")
    )["last"]
    since = last or settings.updated_at
    if since > context.now - timedelta(minutes=2 * settings.sync_interval_minutes):
        return []
    with_error = SyncRun.objects.filter(lane=Lane.SYNC).exclude(error="")
    newest = with_error.order_by("-created_at", "-pk").first()
    why = f" Run {newest.pk} says: {sentence(newest.error)} {newest.hint}" if newest else ""
    return [Holding(
        key="cycles_stale",
        title="No sync run succeeded for two sync intervals",
        message=(
            f"The sync is on, but no run finished since {since:%Y-%m-%d %H:%M} UTC.{why} "
            "Check that the task cluster (qcluster) runs and that Salesforce is connected."
        ).strip(),
        link=reverse("admin:integrations_syncrun_changelist"),
        details={"since": since.isoformat()},
    )]  # fmt: skip


def errors_spike(context: AlertContext) -> list[Holding]:
    """More new record errors of one error code than the threshold in the newest finished
    run of a lane; a record failing again as it did before is not new (`new_error_counts`)."""
    finished = SyncRun.objects.filter(status__in=CYCLE_OUTCOMES).order_by("-created_at", "-pk")
    newest = [finished.filter(lane=lane).first() for lane in Lane.values]
    runs = [run for run in newest if run is not None]
    counts = new_error_counts(runs=runs, above=context.settings.alert_error_spike)
    return [_errors_holding(code, count, runs) for code, count in counts.items()]


def _errors_holding(code: str, count: int, runs: list[SyncRun]) -> Holding:
    shown = code or "no error code"
    query = urlencode({"status__exact": EventStatus.ERROR, "error_code": code})
    return Holding(
        key=f"errors_spike:{code}",
        title=f"A spike of sync errors: {shown}",
        message=(
            f"The newest sync run recorded {count} new record errors with {shown}. {hint_for(code)}"
        ),
        link=f"{reverse('admin:tracking_syncevent_changelist')}?{query}",
        details={"code": code, "count": count, "runs": [run.pk for run in runs]},
    )


def trigger_failing(context: AlertContext) -> list[Holding]:
    """An enabled survey trigger whose last few finished deliveries all failed (two queries
    however many triggers there are)."""
    count = context.settings.alert_trigger_failures
    newest_first = (F("received_at").desc(), F("pk").desc())
    last = (
        TriggerDelivery.objects.filter(trigger__enabled=True)
        .exclude(status=DeliveryStatus.RECEIVED)
        .annotate(place=Window(RowNumber(), partition_by=F("trigger"), order_by=newest_first))
        .filter(place__lte=count)
        .values_list("trigger", "status")
    )
    statuses = defaultdict(list)
    for trigger, status in last:
        statuses[trigger].append(status)
    all_failed = [DeliveryStatus.FAILED] * count
    failing = [
        trigger for trigger, last_statuses in statuses.items() if last_statuses == all_failed
    ]
    triggers = SurveyTrigger.objects.filter(pk__in=failing).order_by("pk")
    return [_trigger_holding(trigger, count) for trigger in triggers]


def _trigger_holding(trigger: SurveyTrigger, count: int) -> Holding:
    query = urlencode({"trigger__id__exact": trigger.pk, "status__exact": DeliveryStatus.FAILED})
    return Holding(
        key=f"trigger_failing:{trigger.pk}",
        title=f"Survey trigger “{trigger.name}” is failing",
        message=(
            f"Its last {count} deliveries from Salesforce failed, so nobody was invited for "
            "them. Their outcome says why (e.g. a field of the trigger the integration user "
            "cannot read); fix it, then reprocess them."
        ),
        link=f"{reverse('admin:integrations_triggerdelivery_changelist')}?{query}",
        details={"trigger": trigger.pk},
    )


def delete_brake(context: AlertContext) -> list[Holding]:
    """The mass-delete brake holds deletions until an admin confirms or cancels them."""
    brake = delete_brake_holding()
    if brake is None:
        return []
    return [
        Holding(
            key="delete_brake",
            title="The mass-delete brake holds deletions",
            message=(
                f"Salesforce deleted {brake.tripped_count} records linked to contacts here in "
                f"one go, more than the brake allows ({brake.threshold}); nothing was deleted "
                "here and deletions are paused. Check what was deleted in Salesforce, then "
                "confirm the deletions (into quarantine) or cancel them."
            ),
            link=reverse(DELETE_BRAKE_URL, args=[brake.pk]),
            details={"brake": brake.pk},
        )
    ]


def auth_failed(connection: SalesforceConnection) -> bool:
    """The connection's stored error is a refused login (see `AUTH_FAILURE_CODES`)."""
    return (
        connection.status == ConnectionStatus.ERROR
        and connection.last_error_code in AUTH_FAILURE_CODES
    )


def _succeeded_since(moment: datetime | None) -> bool:
    runs = SyncRun.objects.filter(lane=Lane.SYNC, status__in=CYCLE_SUCCESSES)
    return moment is not None and runs.filter(finished_at__gt=moment).exists()


def sentence(text: str) -> str:
    """Salesforce's words as a sentence of ours: they do not always end in a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _connection_url() -> str:
    return reverse("admin:integrations_salesforceconnection_changelist")


CONDITIONS: tuple[Condition, ...] = (
    api_org,
    api_app,
    auth,
    cycles_failing,
    cycles_stale,
    errors_spike,
    trigger_failing,
    delete_brake,
)

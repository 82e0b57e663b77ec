"""django-q2 entry points: each fetches by id, calls one service, and returns."""

from __future__ import annotations

import logging

from integrations.choices import RunStatus, RunTrigger
from integrations.models import CrmDataPurge, SyncPreview, SyncRun, TriggerDelivery
from integrations.models.triggers import DeliveryStatus
from integrations.services.activities_push import salesforce_activities_push
from integrations.services.alerts import alerts_evaluate
from integrations.services.crm_purge import (
    crm_data_purge_retry,
    crm_data_purge_run,
    crm_data_purges_resume,
)
from integrations.services.deliveries import deliveries_sweep, delivery_process
from integrations.services.invitations import invitation_send, invitations_resume
from integrations.services.response_mapping import (
    response_mapping_retry,
    response_mapping_run,
)
from integrations.services.safe_deletes import delete_brakes_resume, quarantine_purge
from integrations.services.sync import (
    salesforce_sweep,
    salesforce_sync_blocker,
    salesforce_sync_create,
    salesforce_sync_run,
)
from integrations.services.sync_preview import sync_preview_fail_dead, sync_preview_run
from tracking.models import Invitation

logger = logging.getLogger(__name__)


def salesforce_sync_task(run_id: int | None = None) -> str:
    """The scheduled (or "Sync now") cycle. A scheduled one that cannot run (sync off, not
    connected, paused) leaves no run row behind: only the log says why, every interval."""
    if run_id is None:
        blocker = salesforce_sync_blocker()
        if blocker:
            logger.info("Scheduled Salesforce sync not run: %s", blocker[0])
            return RunStatus.SKIPPED
        run = salesforce_sync_create(trigger=RunTrigger.SCHEDULE)
    else:
        run = SyncRun.objects.get(pk=run_id)
        if run.is_finished:  # a re-delivered task: the run already happened
            return run.status
    return salesforce_sync_run(run=run).status


def sync_preview_task(preview_id: int) -> str:
    """A sync preview (dry run) asked for in the console."""
    preview = SyncPreview.objects.get(pk=preview_id)
    if preview.status != RunStatus.PENDING:  # a re-delivered task: it ran, or runs
        return preview.status
    return sync_preview_run(preview=preview).status


def salesforce_sweep_task() -> int:
    """Finish work lost tasks left behind (runs, purges, brake decisions, trigger deliveries,
    invitation sends), then raise and clear alerts; returns how many forgotten runs it ran."""
    crm_data_purges_resume()
    delete_brakes_resume()
    runs = salesforce_sweep()
    deliveries_sweep()  # after the runs: a delivery's failure never holds up their sweep
    invitations_resume()
    sync_preview_fail_dead()
    alerts_evaluate()  # last: it sees what the sweep finished
    return len(runs)


def quarantine_purge_task() -> int:
    """Purge the quarantined records whose window has passed (hourly); how many."""
    return quarantine_purge()


def salesforce_activities_push_task() -> int:
    """The activities lane's push (enqueued when tracked records change); how many runs."""
    return len(salesforce_activities_push())


def crm_data_purge_task(purge_id: int) -> str:
    """A purge of imported CRM data; one that waits for a running sync tries again later."""
    purge = CrmDataPurge.objects.get(pk=purge_id)
    if purge.is_finished:  # a re-delivered task: the purge already happened
        return purge.status
    purge = crm_data_purge_run(purge=purge)
    if not purge.is_finished:
        crm_data_purge_retry(purge=purge)
    return purge.status


def invitation_send_task(invitation_id: int) -> str:
    """Email a survey invitation; the service retries a failed send itself."""
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:  # deleted since it was queued
        return "missing"
    return invitation_send(invitation=invitation).status


def trigger_delivery_process_task(delivery_id: int) -> str:
    """Process a survey trigger's delivery; a re-delivered task finds it processed."""
    delivery = TriggerDelivery.objects.select_related("trigger__survey").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.RECEIVED:
        return delivery.status
    return delivery_process(delivery=delivery).status


def response_mapping_task(response_id: int) -> int:
    """A survey response's writes to Salesforce; failed ones are tried again later. How
    many failed."""
    from tracking.models import Response

    response = Response.objects.select_related("invitation").get(pk=response_id)
    outcome = response_mapping_run(response=response)
    if outcome.failed:
        response_mapping_retry(response=response)
    return outcome.failed

"""Writing a survey response to Salesforce: its survey's rules, then Web-to-Lead.

Each enabled rule whose conditions hold becomes one record; records of the same operation
and object go in one batched write. Every result is a SyncEvent in the response's history
(the Salesforce id, or the error with a hint). What succeeded is remembered in the
response's `sync_values["rules"]` (rule id → Salesforce id; "" for a rule whose conditions
did not hold or whose input is missing), so a retry writes only what failed and an insert
is never made twice. A failed write is tried again by a one-off task with a growing delay,
a bounded number of times; every response has its own task, so one never blocks another.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from integrations import conf
from integrations.choices import Direction, Operation
from integrations.exceptions import SalesforceError
from integrations.models.response_mappings import ResponseRule, RuleOperation
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.results import RecordResult
from integrations.sync.recorder import Recorder
from integrations.sync.rules.responses import (
    embedded_value,
    groups_hold,
    salesforce_value,
    source_value,
)
from tracking.models import Response

logger = logging.getLogger(__name__)

TASK = "integrations.tasks.response_mapping_task"
OPERATIONS = {
    RuleOperation.INSERT: Operation.CREATE,
    RuleOperation.UPDATE: Operation.UPDATE,
    RuleOperation.UPSERT: Operation.UPDATE,
    RuleOperation.DELETE: Operation.DELETE,
}


@dataclass
class Planned:
    """One rule's record, waiting to be written."""

    rule: ResponseRule
    record: dict
    changes: list[dict] = field(default_factory=list)


@dataclass
class MappingOutcome:
    written: int = 0
    failed: int = 0


def response_mapping_run(
    *, response: Response, client: SalesforceClient | None = None
) -> MappingOutcome:
    """Write what the response's rules and Web-to-Lead say and is not written yet."""
    from integrations.services.web_to_lead import web_to_lead_run

    client = client or _client()
    recorder = Recorder(None)
    done = response.sync_values.setdefault("rules", {})
    outcome = MappingOutcome()
    planned = _plan(response, recorder, done)
    for group in _batches(planned):
        _write(client, response, group, recorder, done, outcome)
    web_to_lead_run(response=response, client=client, recorder=recorder, outcome=outcome)
    response.sync_values["attempts"] = response.sync_values.get("attempts", 0) + 1
    response.salesforce_synced_at = timezone.now()
    response.save(update_fields=["sync_values", "salesforce_synced_at"])
    recorder.flush()
    return outcome


def response_mapping_enqueue(*, response: Response, delay: int = 0) -> None:
    """Hand the response's writes to the task cluster once the transaction commits (after
    `delay` seconds: a one-off schedule). A broker that cannot take it is logged."""
    from django_q.models import Schedule
    from django_q.tasks import async_task, schedule

    def enqueue():
        try:
            if delay:
                when = timezone.now() + timedelta(seconds=delay)
                schedule(TASK, response.pk, schedule_type=Schedule.ONCE, next_run=when)
            else:
                async_task(TASK, response.pk, timeout=300)
        except Exception:
            logger.exception("Could not enqueue the Salesforce writes of response %s", response.pk)

    transaction.on_commit(enqueue)


def response_mapping_retry(*, response: Response) -> bool:
    """Try the failed writes again later, with a growing delay, a bounded number of times;
    whether it will."""
    attempts = response.sync_values.get("attempts", 0)
    if attempts >= conf.get("RESPONSE_MAX_ATTEMPTS"):
        logger.warning(
            "Response %s: Salesforce writes failed %s times; giving up", response.pk, attempts
        )
        return False
    delay = conf.get("RESPONSE_RETRY_SECONDS") * 2 ** max(0, attempts - 1)
    response_mapping_enqueue(response=response, delay=min(delay, conf.get("RESPONSE_RETRY_MAX")))
    return True


def _plan(response: Response, recorder: Recorder, done: dict) -> list[Planned]:
    rules = (
        ResponseRule.objects.filter(survey_id=response.invitation.survey_id, enabled=True)
        .prefetch_related("assignments", "condition_groups__conditions")
        .order_by("position", "pk")
    )
    planned = []
    for rule in rules:
        if str(rule.pk) in done:
            continue
        groups = [(g.mode, list(g.conditions.all())) for g in rule.condition_groups.all()]
        if not groups_hold(groups, response=response):
            done[str(rule.pk)] = ""
            continue
        record, missing = _record(rule, response)
        if missing:
            done[str(rule.pk)] = ""
            recorder.event(
                response, direction=Direction.OUTBOUND, operation=Operation.ERROR,
                salesforce_object=rule.salesforce_object, message=missing,
            )  # fmt: skip
            continue
        changes = [
            {"salesforce_field": name, "new": value} for name, value in record.items()
            if name != "Id"
        ]  # fmt: skip
        planned.append(Planned(rule, record, changes))
    return planned


def _record(rule: ResponseRule, response: Response) -> tuple[dict, str]:
    """The record the rule writes, or what is missing to write it."""
    record = {
        assignment.salesforce_field: salesforce_value(
            source_value(assignment.source, assignment.value, response=response)
        )
        for assignment in rule.assignments.all()
    }
    if rule.operation in (RuleOperation.UPDATE, RuleOperation.DELETE):
        record_id = embedded_value(response.invitation.embedded_data or {}, rule.record_id_key)
        if not record_id:
            return {}, f"{rule}: the embedded data has no “{rule.record_id_key}”, so no record."
        fields = {} if rule.operation == RuleOperation.DELETE else record
        record = {**fields, "Id": str(record_id)}
    if rule.operation == RuleOperation.UPSERT:
        value = source_value(rule.external_id_source, rule.external_id_value, response=response)
        if not value:
            return {}, f"{rule}: the external id {rule.external_id_field} has no value."
        record[rule.external_id_field] = str(value)
    return record, ""


def _batches(planned: list[Planned]) -> list[list[Planned]]:
    """Records of the same operation, object and external id, in the rules' order."""
    groups: dict[tuple, list[Planned]] = {}
    for item in planned:
        rule = item.rule
        key = (rule.operation, rule.salesforce_object, rule.external_id_field)
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def _write(client, response, group: list[Planned], recorder, done, outcome) -> None:
    rule = group[0].rule
    try:
        results = client.save(
            rule.operation, rule.salesforce_object, [item.record for item in group],
            external_id_field=rule.external_id_field or None,
        )  # fmt: skip
    except SalesforceError as error:
        for item in group:
            _event(recorder, response, item, error=error)
        outcome.failed += len(group)
        return
    for item, result in zip(group, results, strict=True):
        _remember(item, result, recorder, response, done, outcome)


def _remember(item: Planned, result: RecordResult, recorder, response, done, outcome) -> None:
    if not result.success:
        _event(recorder, response, item, error=result.errors[0] if result.errors else None)
        outcome.failed += 1
        return
    record_id = result.id or item.record.get("Id", "")
    done[str(item.rule.pk)] = record_id
    operation = Operation.CREATE if result.created else OPERATIONS[item.rule.operation]
    _event(recorder, response, item, operation=operation, salesforce_id=record_id)
    outcome.written += 1


def _event(
    recorder, response, item: Planned, *, operation=Operation.ERROR, error=None, salesforce_id=""
):
    recorder.event(
        response, direction=Direction.OUTBOUND, operation=operation,
        salesforce_object=item.rule.salesforce_object,
        salesforce_id=salesforce_id or item.record.get("Id", ""),
        changes=item.changes, error=error,
    )  # fmt: skip


def _client() -> SalesforceClient:
    from integrations.services.connection import salesforce_client

    return salesforce_client()

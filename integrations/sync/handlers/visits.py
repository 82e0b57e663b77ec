"""Document visits → one Salesforce Task each (DocSend's rules).

A visit's Task goes on the Contact or unconverted Lead with the visitor's email, else on the
Account named like the visitor's company. Unmatched, it waits (and is retried) unless the
settings create a Lead for the email, or an open follow-up Task for the link's owner. The
Task is written when the visit starts, at most every 10 minutes while it goes on, and once
more when it ends (`rules.cadence`); every write after the first updates the same Task.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from integrations.choices import Direction, Operation
from integrations.salesforce.results import RecordError
from integrations.sync.activities.kinds import TaskKind
from integrations.sync.activities.matching import Match, Wanted
from integrations.sync.activities.task_values import NOT_STARTED, attribute_fields, completed_task
from integrations.sync.activities.writer import TaskWriter
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.activity_base import ActivityHandler
from integrations.sync.handlers.people import LEAD_COMPANY_PLACEHOLDER
from integrations.sync.rules.cadence import visit_due_q
from tracking.choices import LinkKind, MatchMethod
from tracking.models import Visit
from tracking.models.keys import match_key

LEAD = "Lead"


class VisitTaskKind(TaskKind):
    model = Visit

    def wanted(self, visit: Visit) -> Wanted:
        return Wanted(email=visit.visitor_email, company=visit.company)

    def owner_email(self, visit: Visit) -> str:
        return visit.link.owner_email

    def task_values(self, visit: Visit, cycle: Cycle) -> dict:
        link = visit.link
        target = link.document if link.kind == LinkKind.DOCUMENT else link.room
        name = (target.name if target else "") or link.name or (target.url if target else "")
        attributes = {
            "document_name": name,
            "account_name": link.account_name,
            "duration_seconds": visit.duration_seconds,
            "percent_viewed": visit.percent_viewed,
            "statistics_url": visit.statistics_url,
            "visitor_email": visit.visitor_email,
        }
        values = {**completed_task(f"Viewed: {name}", visit.started_at),
                  **attribute_fields(cycle, "visits", attributes)}  # fmt: skip
        if visit.matched_by == MatchMethod.OPEN_TASK:
            visitor = visit.visitor_email or visit.visitor_name or "Someone"
            values["Subject"] = f"Follow up: {visitor} viewed {name}"[:255]
            values["Status"] = NOT_STARTED
            values["Description"] = (
                "No Contact, Lead or Account in Salesforce matches this visitor: follow up, "
                f"and add them if they are a prospect.\n\n{values['Description']}"
            ).strip()
        return values

    def unmatched(self, writer: TaskWriter, visits: list) -> list:
        settings = writer.cycle.settings
        placed = []
        if settings.unmatched_create_leads:
            placed += _with_new_leads(writer, [visit for visit in visits if visit.visitor_email])
        rest = [visit for visit in visits if visit not in placed]
        if settings.unmatched_create_open_tasks:
            for visit in rest:
                writer.matched(visit, Match(MatchMethod.OPEN_TASK))
            return placed + rest
        writer.wait_unresolved(rest)
        return placed


class VisitHandler(ActivityHandler):
    kind = VisitTaskKind()
    push_phase = "Sending visits to Salesforce"

    def enabled(self, settings) -> bool:
        return bool(settings.task_sync and settings.sync_visits)

    def due_q(self, now: datetime) -> Q:
        return visit_due_q(now)

    def selected(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("link__document", "link__room")


def _with_new_leads(writer: TaskWriter, visits: list) -> list:
    """Create one Lead per unmatched email (batched) and put the visits on them.

    Safe to repeat: a Lead created by a run whose answer was lost is found by its email by
    the next run's matching before anything is created again."""
    firsts: dict[str, Visit] = {}
    for visit in visits:
        firsts.setdefault(match_key(visit.visitor_email), visit)
    if not firsts:
        return []
    rows = [_lead_values(visit) for visit in firsts.values()]
    results = writer.cycle.save("insert", LEAD, rows)
    created = {}
    for (key, visit), result in zip(firsts.items(), results, strict=True):
        if result.success:
            created[key] = result.id
            writer.matcher.remember_lead(visit.visitor_email, result.id)
            continue
        error = result.errors[0] if result.errors else RecordError("UNKNOWN", "")
        writer.recorder.event(visit, direction=Direction.OUTBOUND, operation=Operation.CREATE,
                              salesforce_object=LEAD, error=error)  # fmt: skip
    placed = []
    for visit in visits:
        lead_id = created.get(match_key(visit.visitor_email))
        if lead_id:
            writer.matched(visit, Match(MatchMethod.CREATED_LEAD, who_id=lead_id))
            placed.append(visit)
    return placed


def _lead_values(visit: Visit) -> dict:
    first, _, last = (visit.visitor_name or "").strip().rpartition(" ")
    if not last:
        last = visit.visitor_email.split("@", 1)[0]
    values = {
        "Email": visit.visitor_email,
        "LastName": last[:80],
        "Company": (visit.company or LEAD_COMPANY_PLACEHOLDER)[:255],
        "LeadSource": "Other",
    }
    return {**values, "FirstName": first[:40]} if first else values

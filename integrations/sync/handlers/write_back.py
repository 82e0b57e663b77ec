"""Sales users' activities → Salesforce (Sales Navigator's write-back).

InMails and messages become completed Tasks with TaskSubtype Email, calls completed Tasks
with TaskSubtype Call and the call's duration; each goes on the Contact or Lead with the
contact's email, else the Account named like the company, owned by the author's Salesforce
user (the integration user stays the creator). Notes become ContentNotes shared with that
record (`notes_writer`). Which activities are written: `rules.activities.write_back_q`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from integrations.sync.activities.kinds import TaskKind
from integrations.sync.activities.matching import Wanted
from integrations.sync.activities.notes_writer import NoteWriter
from integrations.sync.activities.task_values import completed_task
from integrations.sync.activities.writer import TaskWriter
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.activity_base import ActivityHandler
from tracking.choices import ActivityKind
from tracking.models import Activity

SUBJECT_PREFIX = {ActivityKind.INMAIL: "InMail", ActivityKind.MESSAGE: "Message",
                  ActivityKind.CALL: "Call"}  # fmt: skip
SUBTYPE = {ActivityKind.INMAIL: "Email", ActivityKind.MESSAGE: "Email", ActivityKind.CALL: "Call"}
TYPE = {ActivityKind.INMAIL: "Email", ActivityKind.MESSAGE: "Email", ActivityKind.CALL: "Call"}


class ActivityTaskKind(TaskKind):
    model = Activity

    def wanted(self, activity: Activity) -> Wanted:
        return Wanted(email=activity.contact_email, company=activity.company)

    def owner_email(self, activity: Activity) -> str:
        return activity.author_email

    def task_values(self, activity: Activity, cycle: Cycle) -> dict:
        kind = activity.kind
        about = activity.subject or activity.contact_name or activity.contact_email
        values = {
            **completed_task(f"{SUBJECT_PREFIX[kind]}: {about}".strip(": "), activity.occurred_at),
            "Description": activity.body[: Activity.BODY_MAX_LENGTH],
            "TaskSubtype": SUBTYPE[kind],
            "Type": TYPE[kind],
        }
        if kind == ActivityKind.CALL and activity.duration_seconds is not None:
            values["CallDurationInSeconds"] = activity.duration_seconds
        return values


class WriteBackHandler(ActivityHandler):
    kind = ActivityTaskKind()
    push_phase = "Writing sales activities back to Salesforce"

    def enabled(self, settings) -> bool:
        return bool(settings.task_sync and settings.write_back)

    def writers(self, cycle: Cycle, due: QuerySet) -> list[tuple[QuerySet, TaskWriter]]:
        notes = Q(kind=ActivityKind.NOTE)
        return [
            (due.exclude(notes), TaskWriter(cycle, self.kind)),
            (due.filter(notes), NoteWriter(cycle, self.kind)),
        ]

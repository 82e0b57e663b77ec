"""Web-to-Lead from a survey response: a Lead when the conditions hold, never a duplicate.

The person is looked up by the mapped Email among Contacts, then unconverted Leads (the
oldest match wins, as the sync matches people). An existing one is updated with the mapped
fields it has, or left alone, as the survey's settings say; only when there is none is a
Lead inserted. The result is an event in the response's history and its id is kept in
`sync_values["web_to_lead"]`, so a retry neither looks again nor inserts twice.
"""

from __future__ import annotations

from integrations.choices import Direction, Operation
from integrations.exceptions import SalesforceError
from integrations.models.response_mappings import OnExistingPerson, WebToLead
from integrations.salesforce.client import SalesforceClient
from integrations.sync.lookups import rows_by_email
from integrations.sync.recorder import Recorder
from integrations.sync.rules.responses import groups_hold, salesforce_value, source_value
from tracking.models import Response
from tracking.models.keys import match_key

DONE_KEY = "web_to_lead"


def web_to_lead_run(
    *, response: Response, client: SalesforceClient, recorder: Recorder, outcome
) -> None:
    """Find, update or insert the person of the response, once; failures count in `outcome`."""
    settings = (
        WebToLead.objects.filter(survey_id=response.invitation.survey_id, enabled=True)
        .prefetch_related("assignments", "condition_groups__conditions")
        .first()
    )
    if settings is None or DONE_KEY in response.sync_values:
        return
    groups = [(g.mode, list(g.conditions.all())) for g in settings.condition_groups.all()]
    if not groups_hold(groups, response=response):
        response.sync_values[DONE_KEY] = ""
        return
    fields = {
        assignment.salesforce_field: salesforce_value(
            source_value(assignment.source, assignment.value, response=response)
        )
        for assignment in settings.assignments.all()
    }
    if not fields.get("Email"):
        response.sync_values[DONE_KEY] = ""
        _event(recorder, response, "Lead", Operation.ERROR, message="Web-to-Lead: no email.")
        return
    try:
        record_id = _person_write(client, settings, fields, recorder, response)
    except SalesforceError as error:
        _event(recorder, response, "Lead", Operation.ERROR, error=error)
        outcome.failed += 1
        return
    if record_id:
        response.sync_values[DONE_KEY] = record_id
        outcome.written += 1
    else:
        outcome.failed += 1


def _person_write(client, settings: WebToLead, fields: dict, recorder, response) -> str:
    """The id of the person written or left alone; "" when Salesforce refused the write."""
    sobject, existing = _existing_person(client, fields["Email"])
    if existing is None:
        (result,) = client.save("insert", "Lead", [fields])
        return _result_event(recorder, response, "Lead", Operation.CREATE, fields, result)
    if settings.on_existing == OnExistingPerson.LEAVE_ALONE:
        _event(recorder, response, sobject, Operation.MATCH, salesforce_id=existing["Id"])
        return existing["Id"]
    writable = client.fields(sobject)
    changes = {
        name: value
        for name, value in fields.items()
        if name in writable and writable[name].get("updateable")
    }
    (result,) = client.save("update", sobject, [{"Id": existing["Id"], **changes}])
    return _result_event(recorder, response, sobject, Operation.UPDATE, changes, result)


def _existing_person(client, email: str) -> tuple[str, dict | None]:
    """The Contact with this email, else the unconverted Lead; ("Lead", None) for nobody."""
    key = match_key(email)
    for sobject in ("Contact", "Lead"):
        row = rows_by_email(client, sobject, [], [email]).get(key)
        if row is not None:
            return sobject, row
    return "Lead", None


def _result_event(recorder, response, sobject, operation, fields, result) -> str:
    changes = [{"salesforce_field": name, "new": value} for name, value in fields.items()]
    if not result.success:
        error = result.errors[0] if result.errors else None
        _event(recorder, response, sobject, Operation.ERROR, changes=changes, error=error)
        return ""
    record_id = result.id or ""
    _event(recorder, response, sobject, operation, salesforce_id=record_id, changes=changes)
    return record_id


def _event(recorder, response, sobject, operation, **details) -> None:
    recorder.event(
        response, direction=Direction.OUTBOUND, operation=operation, salesforce_object=sobject,
        **details,
    )  # fmt: skip

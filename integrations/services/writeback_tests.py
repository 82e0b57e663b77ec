"""Test write-back (Sales Navigator's): a test Contact in Salesforce with one Task of every
kind the write-back writes (InMail, message, call) and a note, each with a "View in CRM"
link; and the clean-up that deletes them again.

The Tasks and the note are built by the write-back's own builders (`ActivityTaskKind`,
`note_content`, `note_title`), so the test writes what the real write-back writes. Every
create is recorded on the `WriteBackTest` row before it is sent (its kind, no id yet) and
with its id as soon as Salesforce answers: when a step fails or an answer is lost, the
clean-up still removes everything that was made. A lost Contact is found by the test's own
email (its Tasks go with it), a lost note by the test's own title.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import validate_email
from django.utils import timezone

from integrations.exceptions import PermanentError, SalesforceError, TransientError
from integrations.models import SyncSettings, WriteBackTest
from integrations.models.writeback_tests import CONTACT, LABELS, NOTE_LINK
from integrations.salesforce import soql
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.hints import hint_for
from integrations.salesforce.results import RecordResult
from integrations.services.connection import salesforce_client
from integrations.sync.activities.note_content import note_content, note_link_values, note_title
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.write_back import ActivityTaskKind
from integrations.sync.owners import Owners
from integrations.sync.recorder import Recorder
from tracking.choices import ActivityKind
from tracking.models import Activity

TASK_KINDS = (ActivityKind.INMAIL, ActivityKind.MESSAGE, ActivityKind.CALL)
NOTE = ActivityKind.NOTE
# Deleted in this order: the Tasks, the note (its link goes with it), then the Contact.
DELETION_ORDER = (*TASK_KINDS, NOTE, CONTACT)
GONE = frozenset({"ENTITY_IS_DELETED", "NOT_FOUND"})  # deleted already: cleaned
CONTACT_DESCRIPTION = (
    "A test record made by CRM Bridge's “Test write-back”: safe to delete. Its clean-up "
    "deletes it with its Tasks and its note."
)
SUBJECT = "CRM Bridge write-back test"
BODY = "A test {kind} written by CRM Bridge's “Test write-back”. Safe to delete."
NOTE_TEXT = (
    "A test note written by CRM Bridge's “Test write-back”.\n"
    "Safe to delete: “Clean up” removes it with the test Contact & its Tasks."
)
CALL_SECONDS = 60
# How a record whose create answer was lost is found: object, field, kind, the test's value.
LOST_LOOKUPS = (
    ("Contact", "Email", CONTACT, "contact_email"),
    ("ContentNote", "Title", NOTE, "note_title"),
)


def writeback_test_create(
    *, owner_email: str = "", created_by: AbstractBaseUser | None = None
) -> WriteBackTest:
    """Create the test records, owned by the owner email's active Salesforce user (else the
    integration user; the test says which). Raises a SalesforceError with its hint when
    Salesforce cannot or will not write them; what was made by then is on the row."""
    if owner_email:
        validate_email(owner_email)
    client = salesforce_client()
    test = WriteBackTest.objects.create(
        created_by=created_by,
        owner_email=owner_email,
        owner_user_id=_active_user_id(client, owner_email),
        instance_url=client.instance_url,
    )
    try:
        _write(test, client)
    except SalesforceError as error:
        test.fail(error=str(error), hint=error.hint)
        raise
    return test


def writeback_test_cleanup() -> int:
    """Delete the records of every test not cleaned up yet; return how many were deleted.

    Records deleted already (in Salesforce, or by an earlier clean-up) count as cleaned, so a
    second clean-up does nothing. A deletion Salesforce refuses leaves its test open and
    raises, after the other tests were cleaned.
    """
    tests = list(WriteBackTest.objects.filter(cleaned_at__isnull=True).order_by("pk"))
    if not tests:
        return 0
    client = salesforce_client()
    _find_lost(client, tests)
    doomed = [
        (test, test.salesforce_ids[kind])
        for test in tests
        for kind in DELETION_ORDER
        if test.salesforce_ids.get(kind)
    ]
    # sObject Collections take several objects in one call (a Bulk job takes one).
    results = client.delete([record_id for _, record_id in doomed]) if doomed else []
    deleted, refused = 0, {}
    for (test, _), result in zip(doomed, results, strict=True):
        if result.success:
            deleted += 1
        elif not GONE & set(result.error_codes):
            refused.setdefault(test.pk, result)
    cleaned = [test.pk for test in tests if test.pk not in refused]
    WriteBackTest.objects.filter(pk__in=cleaned).update(cleaned_at=timezone.now())
    if refused:
        raise _refused(next(iter(refused.values())), "deletion of a test record", deleted=deleted)
    return deleted


# -- creating -------------------------------------------------------------------------------


def _write(test: WriteBackTest, client: SalesforceClient) -> None:
    owner = {"OwnerId": test.owner_user_id} if test.owner_user_id else {}
    contact = {
        "FirstName": "CRM Bridge",
        "LastName": "Write-back test",
        "Email": test.contact_email,
        "Description": CONTACT_DESCRIPTION,
        **owner,
    }
    contact_id = _create(test, client, "Contact", {CONTACT: contact})[CONTACT]
    cycle = Cycle(settings=SyncSettings.load(), client=client, recorder=Recorder(None))
    kind = ActivityTaskKind()
    tasks = {
        name: {**kind.task_values(_activity(name), cycle), "WhoId": contact_id, **owner}
        for name in TASK_KINDS
    }
    _create(test, client, "Task", tasks)
    note = {"Title": note_title(test.note_title, SUBJECT), "Content": note_content(NOTE_TEXT)}
    note_id = _create(test, client, "ContentNote", {NOTE: note})[NOTE]
    link = note_link_values(note_id=note_id, record_id=contact_id)
    _create(test, client, "ContentDocumentLink", {NOTE_LINK: link})


def _activity(kind: str) -> Activity:
    """An activity of `kind` as the write-back would get it (never saved)."""
    return Activity(
        kind=kind,
        subject=SUBJECT,
        body=BODY.format(kind=ActivityKind(kind).label),
        occurred_at=timezone.now(),
        duration_seconds=CALL_SECONDS if kind == ActivityKind.CALL else None,
    )


def _create(
    test: WriteBackTest, client: SalesforceClient, sobject: str, rows: dict[str, dict]
) -> dict[str, str]:
    """Insert `rows` (kind → values) in one batch; their ids by kind, or raise."""
    test.remember(dict.fromkeys(rows, ""))
    try:
        results = client.save("insert", sobject, list(rows.values()))
    except SalesforceError as error:
        if not (isinstance(error, TransientError) and error.outcome_unknown):
            test.remember({}, forget=rows)  # nothing was written
        raise
    made = {kind: result.id for kind, result in zip(rows, results, strict=True) if result.success}
    test.remember(made, forget=[kind for kind in rows if kind not in made])
    for kind, result in zip(rows, results, strict=True):
        if not result.success:
            raise _refused(result, f"test {LABELS[kind]}")
    return made


def _active_user_id(client: SalesforceClient, email: str) -> str:
    if not email:
        return ""
    owners = Owners(client)
    owners.load([email])
    return owners.user_id(email)


# -- cleaning up ------------------------------------------------------------------------------


def _find_lost(client: SalesforceClient, tests: list[WriteBackTest]) -> None:
    """Records whose create's answer was lost: the Contact by the test's email, the note by
    its title, among what the integration user created (one query each, for all tests)."""
    created_here = soql.format_soql("CreatedById = {}", client.user_id)
    for sobject, field, kind, attribute in LOST_LOOKUPS:
        lost = {
            getattr(test, attribute).lower(): test
            for test in tests
            if test.salesforce_ids.get(kind) == ""
        }
        if not lost:
            continue
        rows = client.query_in(
            sobject, ["Id", field], field=field, values=sorted(lost), extra_where=created_here
        )
        for row in rows:
            test = lost.get((row[field] or "").lower())
            if test is not None:
                test.remember({kind: row["Id"]})


def _refused(result: RecordResult, what: str, *, deleted: int | None = None) -> PermanentError:
    error = result.errors[0] if result.errors else None
    code = error.code if error else "UNKNOWN"
    message = f"Salesforce refused the {what}: {error.message if error else 'no reason given'}"
    if deleted is not None:
        message += f" ({deleted} test records were deleted)"
    return PermanentError(message + ".", code=code, hint=hint_for(code))

"""The one-sentence explanation of each sync state, from plain data (no database)."""

import datetime as dt

import pytest
import time_machine

from tracking.choices import Direction, EventStatus, NotSentReason, Operation, SyncState
from tracking.explanations import EXPLAINERS, Situation, explanation, moment
from tracking.hooks import SyncFacts
from tracking.last_events import LastEvents
from tracking.models import Contact, Opportunity, SyncEvent

NOW = dt.datetime(2026, 12, 1, 14, 5, tzinfo=dt.UTC)
SYNCED_AT = dt.datetime(2026, 12, 1, 14, 2, tzinfo=dt.UTC)
LEAD_ID = "00Q000000000001AAA"
RULES = {
    ("Lead", "Phone"): "two-way, most recent wins",
    ("Lead", "Title"): "to Salesforce only",
}


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def contact(**fields):
    fields.setdefault("salesforce_id", LEAD_ID)
    fields.setdefault("salesforce_synced_at", SYNCED_AT)
    fields.setdefault("local_modified_at", SYNCED_AT - dt.timedelta(hours=1))
    return Contact(pk=1, last_name="Lovelace", **fields)


def event(direction=Direction.INBOUND, *, minutes_ago=3, changes=(), **fields):
    fields.setdefault("operation", Operation.UPDATE)
    return SyncEvent(
        pk=minutes_ago, direction=direction, created_at=NOW - dt.timedelta(minutes=minutes_ago),
        salesforce_object="Lead", salesforce_id=LEAD_ID,
        changes=[
            {"field": name, "salesforce_field": name.title(), "old": "a", "new": "b"}
            for name in changes
        ], **fields,
    )  # fmt: skip


def explain(record, state, *, events=None, facts=None, reason=None):
    sobject = "Lead" if record.salesforce_id and isinstance(record, Contact) else ""
    return explanation(
        Situation(
            record=record,
            state=state,
            salesforce_object=sobject or "Opportunity",
            events=events or LastEvents(),
            facts=facts or SyncFacts(),
            reason=reason,
        )
    )


def test_every_state_has_an_explanation():
    assert set(EXPLAINERS) == set(SyncState)


def test_times_are_said_in_utc_with_day_month_and_year():
    assert moment(dt.datetime(2026, 12, 1, 15, 2, tzinfo=dt.timezone(dt.timedelta(hours=1)))) == (
        "1 Dec 2026 14:02 UTC"
    )


def test_synced_says_which_side_won_each_field_and_by_which_rule():
    events = LastEvents(
        inbound_change=event(minutes_ago=5, changes=["phone"]),
        outbound_change=event(Direction.OUTBOUND, minutes_ago=3, changes=["title"]),
    )

    said = explain(contact(), SyncState.SYNCED, events=events, facts=SyncFacts(field_rules=RULES))

    assert said == (
        f"Synced with Salesforce Lead {LEAD_ID} on 1 Dec 2026 14:02 UTC: Salesforce won Phone "
        "(two-way, most recent wins), this side won Title (to Salesforce only)."
    )


def test_the_newer_change_of_a_field_is_the_one_that_won():
    events = LastEvents(
        inbound_change=event(minutes_ago=9, changes=["title", "phone"]),
        outbound_change=event(Direction.OUTBOUND, minutes_ago=3, changes=["title"]),
    )

    said = explain(contact(), SyncState.SYNCED, events=events)

    assert said.endswith(": Salesforce won Phone, this side won Title.")


def test_fields_decided_by_the_same_rule_share_it():
    events = LastEvents(inbound_change=event(changes=["phone", "title", "state"]))
    rules = {**RULES, ("Lead", "Title"): "two-way, most recent wins"}

    said = explain(contact(), SyncState.SYNCED, events=events, facts=SyncFacts(field_rules=rules))

    assert said.endswith(": Salesforce won Phone and Title (two-way, most recent wins) and State.")


def test_many_fields_are_counted_after_a_few():
    events = LastEvents(
        inbound_change=event(changes=["phone", "title", "state", "country", "company"])
    )

    said = explain(contact(), SyncState.SYNCED, events=events)

    assert said.endswith(": Salesforce won Phone, Title and State, and 2 more fields.")


def test_synced_without_changes_says_both_sides_agree():
    said = explain(contact(), SyncState.SYNCED)

    assert (
        said == f"Synced with Salesforce Lead {LEAD_ID} on 1 Dec 2026 14:02 UTC; both sides agree."
    )


@pytest.mark.parametrize(
    ("direction", "says"),
    [
        (Direction.OUTBOUND, "created in Salesforce from this record"),
        (Direction.INBOUND, "created here from Salesforce"),
    ],
)
def test_a_creation_is_no_contest_between_the_sides(direction, says):
    created = event(direction, operation=Operation.CREATE, changes=["phone", "title"])
    inbound = direction == Direction.INBOUND
    events = LastEvents(
        inbound_change=created if inbound else None, outbound_change=None if inbound else created
    )

    said = explain(contact(), SyncState.SYNCED, events=events)

    assert said.endswith(f"14:02 UTC: {says}; both sides agree.")


def test_a_mirrored_record_is_only_read():
    opportunity = Opportunity(pk=1, salesforce_id="006000000000001AAA", salesforce_synced_at=None)

    assert explain(opportunity, SyncState.SYNCED) == (
        "Read from Salesforce Opportunity 006000000000001AAA; it is only read from Salesforce, "
        "never sent."
    )


def test_waiting_says_when_the_next_run_is_expected():
    facts = SyncFacts(next_run_at=NOW + dt.timedelta(minutes=10), interval_minutes=15)

    assert explain(contact(salesforce_id=""), SyncState.PENDING, facts=facts) == (
        "Waiting: not in Salesforce yet; the next sync run (expected around 1 Dec 2026 14:15 "
        "UTC, every 15 minutes) creates it in Salesforce."
    )


def test_a_next_run_already_due_is_not_promised_for_the_past():
    facts = SyncFacts(next_run_at=NOW - dt.timedelta(minutes=1), interval_minutes=15)

    assert explain(contact(), SyncState.PENDING, facts=facts) == (
        "Waiting: the next sync run (every 15 minutes) sends the changes."
    )


def test_waiting_while_paused_says_until_when_and_why():
    facts = SyncFacts(
        paused_until=NOW + dt.timedelta(hours=1),
        pause_reason="CRM Bridge used 1000 of its cap of 1000 calls in 24 hours.",
        interval_minutes=15,
    )

    assert explain(contact(), SyncState.PENDING, facts=facts) == (
        "Waiting: calls to Salesforce are paused until 1 Dec 2026 15:05 UTC (CRM Bridge used "
        "1000 of its cap of 1000 calls in 24 hours); the sync then sends the changes."
    )


def test_waiting_after_being_held_back_says_so():
    held = event(
        Direction.OUTBOUND, operation=Operation.SKIP, minutes_ago=2,
        error_message="changed in Salesforce after this sync read it",
    )  # fmt: skip

    said = explain(contact(), SyncState.PENDING, events=LastEvents(outbound=held))

    assert said == (
        "Waiting: held back on 1 Dec 2026 14:03 UTC, changed in Salesforce after this sync read it."
    )


def test_a_hold_older_than_the_last_change_here_is_not_the_reason_any_more():
    held = event(
        Direction.OUTBOUND, operation=Operation.SKIP, minutes_ago=20, error_message="held",
    )  # fmt: skip
    record = contact(local_modified_at=NOW - dt.timedelta(minutes=1))

    said = explain(record, SyncState.PENDING, events=LastEvents(outbound=held))

    assert said == "Waiting: the next sync run sends the changes."


@pytest.mark.parametrize(
    ("hint", "says"),
    [
        (
            "The email address is not valid. Correct it on the contact.",
            "The email address is not valid. Correct it on the contact.",
        ),
        ("", "Salesforce said “bad email”."),
    ],
)
def test_failed_says_the_error_in_plain_words_and_the_fix(hint, says):
    failed = event(
        Direction.OUTBOUND, operation=Operation.ERROR, status=EventStatus.ERROR,
        error_code="INVALID_EMAIL_ADDRESS", error_message="bad email", hint=hint,
    )  # fmt: skip

    said = explain(contact(), SyncState.ERROR, events=LastEvents(outbound=failed))

    assert said == f"Failed to send on 1 Dec 2026 14:02 UTC (INVALID_EMAIL_ADDRESS): {says}"


@pytest.mark.parametrize("reason", list(NotSentReason))
def test_not_sent_names_every_reason(reason):
    assert explain(contact(salesforce_id=""), SyncState.NOT_SENT, reason=reason) == (
        f"Not sent: {reason.label}."
    )


def test_not_sent_names_what_exactly_left_it_out():
    facts = SyncFacts(not_sent_details={1: "the rule “country is US” does not match"})

    said = explain(
        contact(salesforce_id=""), SyncState.NOT_SENT, facts=facts,
        reason=NotSentReason.OUTSIDE_INCLUSION_LIST,
    )  # fmt: skip

    assert said == (
        "Not sent: outside the inclusion list: the rule “country is US” does not match."
    )


def test_a_linked_record_left_out_stopped_syncing():
    said = explain(contact(), SyncState.NOT_SENT, reason=NotSentReason.SYNC_OFF)

    assert said == (
        "Stopped syncing: sync with Salesforce is off; changes made here no longer go to "
        "Salesforce."
    )


def test_deleted_says_when_and_what_the_deletion_policy_did():
    deletion = event(operation=Operation.DELETE, minutes_ago=4)

    said = explain(
        contact(salesforce_id="", deleted_in_salesforce=True), SyncState.DELETED,
        events=LastEvents(deletion=deletion),
    )  # fmt: skip

    assert said == (
        f"Deleted in Salesforce on 1 Dec 2026 14:01 UTC (Salesforce Lead {LEAD_ID}): the "
        "deletion policy kept this record here, unlinked, and it is no longer synced."
    )

"""Writes Salesforce refuses because of their owner, sent once more with the fallback owner.

Salesforce refuses a record whose owner is inactive (INACTIVE_OWNER_OR_USER), who may not
own it (CANNOT_REPARENT_RECORD) or whose OwnerId is not one of its users (a missing id:
INVALID_CROSS_REFERENCE_KEY; not a user's id: FIELD_INTEGRITY_EXCEPTION or MALFORMED_ID, each
on OwnerId). `owner_fallback_save` writes like `cycle.save`, then re-sends the records
refused for that reason in one call with OwnerId = the setting `fallback_owner_id` (left out
when it is empty, so the integration user owns a new record). Only once: a fallback owner
refused as well fails the record with an error naming the setting (its hint says what to
do). The rows of re-sent records are changed in place to what was sent; a caller whose rows
are copies of its values (updates: {"Id": …, **values}) takes their owner back with
`owner_sent`, so it records what Salesforce holds. The notes say in plain words what
happened, by row index.

CANNOT_REPARENT_RECORD is about the owner only when it names OwnerId (or no field at all):
Salesforce also uses it for a parent that may not change (a Contact's AccountId, say), which a
new owner would not fix.

The contact, company and Task writers save through here. Notes do not: Salesforce does not
let a ContentNote's owner be set, so a note sends none and is never refused for one.
"""

from __future__ import annotations

from dataclasses import replace

from integrations.salesforce.results import RecordError, RecordResult
from integrations.sync.cycle import Cycle
from integrations.sync.owners import Owners
from integrations.sync.recorder import OWNER_NOT_A_USER_CODES

OWNER = "OwnerId"
OWNER_CODES = frozenset({"INACTIVE_OWNER_OR_USER", "CANNOT_REPARENT_RECORD"})
WHY = {
    "INACTIVE_OWNER_OR_USER": "{owner} is inactive in Salesforce",
    "CANNOT_REPARENT_RECORD": "Salesforce does not let {owner} own this record",
}
NOT_A_USER = "{owner} is not a user in Salesforce"


def owner_error(result: RecordResult) -> RecordError | None:
    """The error of a refused write that is about its owner, or None."""
    for error in result.errors:
        on_owner = OWNER in error.fields
        if error.code in OWNER_NOT_A_USER_CODES and on_owner:
            return error
        if error.code in OWNER_CODES and (on_owner or not error.fields):
            return error
    return None


def owner_sent(values: dict, row: dict) -> None:
    """Make `values` say the owner `row` was finally sent with (or none)."""
    if OWNER in row:
        values[OWNER] = row[OWNER]
    else:
        values.pop(OWNER, None)


def owner_fallback_save(
    cycle: Cycle, operation: str, sobject: str, rows: list[dict], **options
) -> tuple[list[RecordResult], dict[int, str]]:
    """`cycle.save(operation, sobject, rows, **options)`, with the records refused for their
    owner re-sent once, together, with the fallback owner; (results, notes by row index)."""
    results = list(cycle.save(operation, sobject, rows, **options))
    fallback = cycle.settings.fallback_owner_id
    refused = {
        index: error
        for index, result in enumerate(results)
        if (error := owner_error(result)) and (fallback or OWNER in rows[index])
    }  # without a fallback, only a row naming an owner changes (it leaves the owner out)
    if not refused:
        return results, {}
    previous = {index: rows[index].get(OWNER, "") for index in refused}
    for index in refused:
        if fallback:
            rows[index][OWNER] = fallback
        else:
            rows[index].pop(OWNER)
    again = cycle.save(operation, sobject, [rows[index] for index in refused], **options)
    owners = cycle.shared_one("owners", Owners)
    owners.load_ids([*previous.values(), fallback])
    notes = {}
    for (index, error), result in zip(refused.items(), again, strict=True):
        why = _why(error, owners, previous[index])
        if result.success:
            results[index] = replace(result, index=index)
            notes[index] = f"{why}; {_written_with(owners, fallback, operation)}."
            continue
        failure = result.errors[0] if result.errors else RecordError("UNKNOWN", "No details.")
        refusal = _refused_too(failure, why, owners, fallback)
        results[index] = replace(result, index=index, errors=(refusal,))
    return results, notes


def _why(error: RecordError, owners: Owners, owner_id: str) -> str:
    owner = f"Owner {owners.name(owner_id)}" if owner_id else "Its owner"
    template = WHY.get(error.code, NOT_A_USER)
    return template.format(owner=owner)


def _written_with(owners: Owners, fallback: str, operation: str) -> str:
    if fallback:
        return f"written with the fallback owner {owners.name(fallback)}"
    if operation == "update":
        return "written keeping its owner, as no fallback owner is set"
    return "written with the integration user as owner, as no fallback owner is set"


def _refused_too(failure: RecordError, why: str, owners: Owners, fallback: str) -> RecordError:
    """The error of a record whose second try failed as well, saying both refusals; on
    OwnerId, so its hint names the fallback owner setting."""
    if fallback:
        second = f"the fallback owner {owners.name(fallback)} was refused too"
    else:
        second = "without an owner it was refused too"
    message = f"{why}, and {second}: {failure.message}"
    return RecordError(failure.code, message, tuple(dict.fromkeys((*failure.fields, OWNER))))

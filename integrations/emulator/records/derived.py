"""Fields Salesforce computes on every write: compound names, stage/status flags (Opportunity,
Task, Case), formula fields and what a note's content gives (preview, size, file type)."""

from .notes import note_derived_fields
from .schema import SObjectType
from .task_fields import ENGAGEMENT_SCORE, engagement_score

_PERSON_OBJECTS = frozenset({"Contact", "Lead", "User"})


def apply_derived_fields(sobject: SObjectType, record: dict, changes: dict) -> None:
    """Fill the computed fields of `record` (the merged record about to be saved) in place."""
    if sobject.name in _PERSON_OBJECTS:
        record["Name"] = " ".join(
            part for part in (record["FirstName"], record["LastName"]) if part
        )
    elif sobject.name == "Opportunity":
        _apply_stage(sobject, record, changes)
    elif sobject.name in ("Task", "Case"):
        status = sobject.fields["Status"].picklist_by_value.get(record["Status"])
        record["IsClosed"] = bool(status and status.attributes["closed"])
        if sobject.name == "Task" and ENGAGEMENT_SCORE in sobject.fields:
            record[ENGAGEMENT_SCORE] = engagement_score(record)
    elif sobject.name == "ContentNote":
        record.update(note_derived_fields(record["Content"]))


def _apply_stage(sobject: SObjectType, record: dict, changes: dict) -> None:
    stage = sobject.fields["StageName"].picklist_by_value.get(record["StageName"])
    if stage is None:
        return
    record["IsClosed"] = stage.attributes["closed"]
    record["IsWon"] = stage.attributes["won"]
    if "StageName" in changes and "Probability" not in changes:
        record["Probability"] = float(stage.attributes["probability"])

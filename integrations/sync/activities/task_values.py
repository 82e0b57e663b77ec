"""The Task fields an activity's attributes go into: the Description's lines by default, or
the custom Task fields the activity field map names (numbers as numbers), as set in the
sync settings ("Activity data"). Attributes the map leaves out stay in the Description.
"""

from __future__ import annotations

from datetime import datetime

from integrations.choices import ActivityStorage
from integrations.sync.activities.attributes import LABELS
from integrations.sync.cycle import Cycle

TEXT_TYPES = frozenset({"string", "textarea", "url", "email", "phone"})
SUBJECT_LENGTH = 255
COMPLETED, NOT_STARTED = "Completed", "Not Started"


def attribute_fields(cycle: Cycle, kind: str, attributes: dict) -> dict:
    """Task values for one record's attributes of `kind` (visits, links or rooms)."""
    settings = cycle.settings
    mapped = {}
    if settings.activity_storage == ActivityStorage.CUSTOM_FIELDS:
        mapped = (settings.activity_field_map or {}).get(kind, {})
    fields = task_fields(cycle) if mapped else {}
    values, lines = {}, []
    for name, value in attributes.items():
        field = fields.get(mapped.get(name, ""))
        typed = _typed(value, field) if field else None
        if field and typed is not TOO_LONG:
            values[field["name"]] = typed
        elif value not in ("", None):
            lines.append(f"{LABELS[name]}: {shown(name, value)}")
    values["Description"] = "\n".join(lines)
    return values


def task_fields(cycle: Cycle) -> dict[str, dict]:
    """Task's fields (name, type, length) by name, read once per cycle."""
    if "task_fields" not in cycle.shared:
        cycle.shared["task_fields"] = {
            name: {"name": name, "type": field["type"], "length": field.get("length") or 0}
            for name, field in cycle.client.fields("Task").items()
        }
    return cycle.shared["task_fields"]


def completed_task(subject: str, day: datetime | None) -> dict:
    """The fields every completed Task CRM Bridge writes has."""
    values = {"Subject": subject[:SUBJECT_LENGTH], "Status": COMPLETED}
    if day is not None:
        values["ActivityDate"] = day.date().isoformat()
    return values


def shown(name: str, value) -> str:
    """An attribute as a person reads it in the Description."""
    if name == "duration_seconds":
        return duration(int(value))
    if name == "percent_viewed":
        return f"{float(value):g}%"
    return str(value)


def duration(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "", f"{seconds} s"]
    return " ".join(part for part in parts if part) if (hours or minutes) else f"{seconds} s"


TOO_LONG = object()  # a value its field cannot hold whole: it goes into the Description


def _typed(value, field: dict):
    """Numbers stay numbers in number fields; text fields get text, cut to their length
    (an email or URL that does not fit is not cut: it goes into the Description); blanks
    are null."""
    if value in ("", None):
        return None
    if field["type"] not in TEXT_TYPES:
        return value
    text, length = str(value), field["length"]
    if length and len(text) > length:
        return TOO_LONG if field["type"] in ("email", "url") else text[:length]
    return text

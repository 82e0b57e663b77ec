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
    types = task_field_types(cycle) if mapped else {}
    values, lines = {}, []
    for name, value in attributes.items():
        if name in mapped:
            task_field = mapped[name]
            values[task_field] = _typed(value, types.get(task_field, "string"))
        elif value not in ("", None):
            lines.append(f"{LABELS[name]}: {shown(name, value)}")
    values["Description"] = "\n".join(lines)
    return values


def task_field_types(cycle: Cycle) -> dict[str, str]:
    """Task's field types by name, read once per cycle."""
    if "task_field_types" not in cycle.shared:
        fields = cycle.client.fields("Task")
        cycle.shared["task_field_types"] = {name: field["type"] for name, field in fields.items()}
    return cycle.shared["task_field_types"]


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


def _typed(value, field_type: str):
    """Numbers stay numbers in number fields; text fields get text; blanks are null."""
    if value in ("", None):
        return None
    if field_type in TEXT_TYPES:
        return str(value)
    return value

"""Converting field values between Python and Salesforce's wire formats.

Records hold Python values (str, bool, int, float, None, aware UTC datetime, date). On the wire
datetimes are `2024-01-31T10:00:00.000+0000` and dates `2024-01-31`; on input Salesforce also
takes `Z`, `+00:00` and missing milliseconds.
"""

import re
from datetime import UTC, date, datetime, timedelta, timezone

_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
    r"(Z|[+-]\d{2}:?\d{2})"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # both matched whole (fullmatch)


def format_datetime(value: datetime) -> str:
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def to_wire(value):
    """A record value as JSON/CSV wants it."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def parse_datetime(text: str) -> datetime | None:
    """An aware UTC datetime from Salesforce's accepted ISO 8601 forms, else None."""
    match = _DATETIME.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        parsed = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second),
            int((fraction or "0").ljust(6, "0")[:6]), tzinfo=_zone(zone),
        )  # fmt: skip
    except ValueError:
        return None
    return parsed.astimezone(UTC)


def _zone(text: str) -> timezone:
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-offset if text[0] == "-" else offset)


def parse_date(text: str) -> date | None:
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None

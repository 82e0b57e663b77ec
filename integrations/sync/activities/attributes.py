"""The attributes each kind of tracked record writes to its Salesforce Task, and the Task
field type each may go into when the activity field map puts it in a custom field.

The order is the order of the Description's lines.
"""

from __future__ import annotations

TEXT = ("string", "textarea")
URL = ("url", "string", "textarea")
NUMBER = ("double", "int", "percent", "currency", "string")
EMAIL = ("email", "string", "textarea")

# kind -> attribute -> the Task field types it fits
ACTIVITY_ATTRIBUTES: dict[str, dict[str, tuple[str, ...]]] = {
    "visits": {
        "document_name": TEXT,
        "account_name": TEXT,
        "duration_seconds": NUMBER,
        "percent_viewed": NUMBER,
        "statistics_url": URL,
        "visitor_email": EMAIL,
    },
    "links": {
        "document_name": TEXT,
        "account_name": TEXT,
        "document_url": URL,
        "internal_url": URL,
        "external_url": URL,
        "visitors": TEXT,
    },
    "rooms": {
        "room_name": TEXT,
        "account_name": TEXT,
        "room_url": URL,
        "internal_url": URL,
    },
}

# How each attribute is labelled in a Task's Description.
LABELS = {
    "document_name": "Document",
    "room_name": "Room",
    "account_name": "Account",
    "duration_seconds": "Duration",
    "percent_viewed": "Viewed",
    "statistics_url": "Statistics",
    "visitor_email": "Visitor",
    "document_url": "Document URL",
    "room_url": "Room URL",
    "internal_url": "Internal link",
    "external_url": "External link",
    "visitors": "Visitors",
}

"""A ContentNote as Salesforce accepts it (Content: base64 of escaped HTML; a Title), and
the link that shares it with a record.

`& < > " '` become entities (`&#39;` for the apostrophe: Salesforce refuses `&apos;`), line
breaks become `<br>`, and control characters are dropped (a raw newline is refused too).
"""

from __future__ import annotations

import base64
import re

ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_SPECIAL = re.compile(r"[&<>\"']")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline
TITLE_LENGTH = 255


def note_html(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    escaped = _SPECIAL.sub(lambda found: ENTITIES[found.group()], text)
    return escaped.replace("\n", "<br>")


def note_content(text: str) -> str:
    """The base64 Content of a note with this plain text."""
    return base64.b64encode(note_html(text).encode("utf-8")).decode("ascii")


def note_title(subject: str, fallback: str) -> str:
    """Salesforce refuses a blank Title."""
    title = _CONTROL.sub("", " ".join((subject or "").split()))
    return (title or fallback)[:TITLE_LENGTH]


def note_link_values(*, note_id: str, record_id: str) -> dict:
    """The ContentDocumentLink that puts a note in a record's Notes & Attachments (viewers
    of the record may view it)."""
    return {"ContentDocumentId": note_id, "LinkedEntityId": record_id, "ShareType": "V"}

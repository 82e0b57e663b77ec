"""A ContentNote's Content as Salesforce accepts it: base64 of escaped HTML.

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

"""What Salesforce accepts in a ContentNote's Content, and the fields it derives from it.

Content is base64 of a small HTML subset: plain text with `& < > " '` written as entities
(`&#39;`, never `&apos;`), line breaks as `<br>`, no control characters (not even a raw
newline), and only simple formatting tags without attributes (links may carry `href`).
Anything else is refused with FIELD_INTEGRITY_EXCEPTION, as Salesforce does.
"""

import base64
import binascii
import html
import re

from ..errors import ApiError

NOTE_REFUSED = (
    "Note can't be saved because it contains HTML tags or unescaped characters that are not "
    "allowed in a Note."
)
ALLOWED_TAGS = frozenset({"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a"})
_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9]*)(?P<attrs>(?:\s[^<>]*?)?)\s*/?>"
    r"|&(?:#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|amp|lt|gt|quot|nbsp);"
)
_HREF = re.compile(r'\s+href="[^"<>]*"')
_UNESCAPED = re.compile(r"[<>&\"'\x00-\x1f\x7f]")
PREVIEW_LENGTH = 255


def decode_base64(value: str) -> bytes | None:
    """The bytes of a base64 value, or None when it is not base64."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def note_text(content: str) -> str:
    """The note's HTML, or raise Salesforce's error when Salesforce would refuse it."""
    try:
        text = base64.b64decode(content).decode("utf-8")
    except UnicodeDecodeError:
        raise _refused() from None
    position = 0
    for token in _TOKEN.finditer(text):
        _check_plain(text[position : token.start()])
        if token.group("tag") is not None:
            _check_tag(token)
        position = token.end()
    _check_plain(text[position:])
    return text


def _check_plain(text: str) -> None:
    if _UNESCAPED.search(text):
        raise _refused()


def _check_tag(token: re.Match) -> None:
    tag, attrs = token.group("tag").lower(), token.group("attrs")
    if tag not in ALLOWED_TAGS:
        raise _refused()
    if attrs.strip() and not (tag == "a" and not token.group("close") and _HREF.fullmatch(attrs)):
        raise _refused()


def _refused() -> ApiError:
    return ApiError("FIELD_INTEGRITY_EXCEPTION", NOTE_REFUSED, fields=["Content"])


def note_derived_fields(content: str | None) -> dict:
    """TextPreview, ContentSize, FileType and FileExtension of a note with this Content."""
    text = note_text(content) if content else ""
    plain = html.unescape(re.sub(r"<br\s*/?>|</p>", " ", text, flags=re.IGNORECASE))
    plain = re.sub(r"<[^>]*>", "", plain).strip()
    return {
        "TextPreview": plain[:PREVIEW_LENGTH] or None,
        "ContentSize": len(base64.b64decode(content)) if content else 0,
        "FileType": "SNOTE",
        "FileExtension": "snote",
        "IsReadOnly": False,
    }

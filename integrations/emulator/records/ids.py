"""Salesforce record ids: 15-character case-sensitive ids plus a 3-character checksum suffix.

An id is a 3-character key prefix naming the object (001 Account, 003 Contact, ...), an instance
part and a base-62 serial number. The 18-character form appends one checksum character per
5-character chunk encoding which of its characters are upper-case, so that the id survives
case-insensitive systems. The API accepts either form and always answers with 18 characters.
"""

import re
import string

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_CHECKSUM_ALPHABET = string.ascii_uppercase + "012345"
_ID_SHAPE = re.compile(r"[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?")  # fullmatch: no trailing \n
_INSTANCE_PART = "8d"
_SERIAL_WIDTH = 10


def checksum(id15: str) -> str:
    """The 3-character suffix Salesforce appends to a 15-character id."""
    suffix = ""
    for start in (0, 5, 10):
        bits = 0
        for position, char in enumerate(id15[start : start + 5]):
            if "A" <= char <= "Z":
                bits |= 1 << position
        suffix += _CHECKSUM_ALPHABET[bits]
    return suffix


def make_id(key_prefix: str, serial: int) -> str:
    """The 18-character id of the `serial`-th record created in the org."""
    digits = ""
    while serial:
        serial, remainder = divmod(serial, 62)
        digits = _BASE62[remainder] + digits
    id15 = key_prefix + _INSTANCE_PART + digits.rjust(_SERIAL_WIDTH, "0")
    return id15 + checksum(id15)


def normalize_id(value: str) -> str | None:
    """The 18-character form of a well-formed 15- or 18-character id, else None.

    An 18-character id whose suffix does not match its first 15 characters is malformed, as
    in Salesforce (the suffix is compared case-insensitively, since it exists for systems that
    lose case)."""
    if not isinstance(value, str) or not _ID_SHAPE.fullmatch(
        value.upper() if len(value) == 18 else value
    ):
        return None
    id15 = value[:15]
    expected = checksum(id15)
    if len(value) == 18 and value[15:].upper() != expected:
        return None
    return id15 + expected


def key_prefix(record_id: str) -> str:
    """The 3-character key prefix of an id."""
    return record_id[:3]

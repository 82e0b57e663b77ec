"""Tokens of the emulator's SOQL dialect, and the error every SOQL failure is reported as.

The lexer decodes string literals with SOQL's escape rules (an unknown backslash sequence is an
error, never a silently different value) and reads date, datetime and number literals into
Python values, so later stages only deal with typed tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

MAX_STATEMENT_CHARS = 100_000
MAX_STRING_LITERAL_CHARS = 4_000

SIMPLE_ESCAPES = {
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "b": "\b",
    "f": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}
LIKE_ONLY_ESCAPES = frozenset("%_")

TOKEN_PATTERN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))
    | (?P<date>\d{4}-\d{2}-\d{2})
    | (?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))
    | (?P<date_n>[A-Za-z_]\w*:\d+)
    | (?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)
    | (?P<operator>!=|<>|<=|>=|=|<|>)
    | (?P<punctuation>[(),])
    """,
    re.VERBOSE,
)
DATETIME_PARTS = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):?(\d{2}))"
)
STRAY_TEXT = re.compile(r"[^\s(),']+")


class SoqlError(Exception):
    """A query Salesforce would reject.

    `error_code` is Salesforce's (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE,
    INVALID_QUERY_FILTER_OPERATOR, NUMBER_OUTSIDE_VALID_RANGE); `str(err)` is the message text.
    """

    def __init__(self, error_code: str, message: str):
        super().__init__(message)
        self.error_code = error_code
        self.message = message


def located_error(error_code: str, soql: str, position: int, detail: str) -> SoqlError:
    """An error whose message points at `position` the way Salesforce's do.

    Salesforce quotes the offending line with a caret under the error, then
    "ERROR at Row:r:Column:c" and the detail. Long lines are cut to a window around the caret.
    """
    line_start = soql.rfind("\n", 0, position) + 1
    line_end = soql.find("\n", position)
    line = soql[line_start : line_end if line_end != -1 else len(soql)]
    column = position - line_start
    window_start = max(0, column - 60)
    excerpt = line[window_start : column + 40]
    row = soql.count("\n", 0, position) + 1
    caret = " " * (column - window_start) + "^"
    message = f"\n{excerpt}\n{caret}\nERROR at Row:{row}:Column:{column + 1}\n{detail}"
    return SoqlError(error_code, message)


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical unit: `kind` is name, string, number, date, datetime, date_n, operator,
    punctuation, end or error; `value` is the decoded Python value (for error, the SoqlError)."""

    kind: str
    text: str
    position: int
    value: Any = None
    like_escapes: frozenset[int] = frozenset()

    def is_keyword(self, *words: str) -> bool:
        return self.kind == "name" and self.text.upper() in words


def tokenize(soql: str) -> list[Token]:
    """Split a statement into tokens, ending with an `end` token.

    Text that cannot be read ends the list with an `error` token holding the SoqlError, raised
    only when the parser gets there: like Salesforce, it reports the first token out of place
    (`Brien` in `Name = 'O'Brien'`), not the unterminated quote after it.
    """
    if len(soql) > MAX_STATEMENT_CHARS:
        raise SoqlError(
            "MALFORMED_QUERY",
            f"SOQL statements can not be longer than {MAX_STATEMENT_CHARS} characters",
        )
    tokens: list[Token] = []
    position = 0
    while position < len(soql):
        try:
            token = (
                _string_token(soql, position)
                if soql[position] == "'"
                else _plain_token(soql, position)
            )
        except SoqlError as error:
            tokens.append(Token("error", soql[position:], position, error))
            return tokens
        if token.kind != "space":
            tokens.append(token)
        position += len(token.text)
    tokens.append(Token("end", "<EOF>", len(soql)))
    return tokens


def _plain_token(soql: str, position: int) -> Token:
    match = TOKEN_PATTERN.match(soql, position)
    if match is None:
        stray = STRAY_TEXT.match(soql, position)
        text = stray.group() if stray else soql[position]
        raise located_error("MALFORMED_QUERY", soql, position, f"unexpected token: '{text}'")
    kind, text = match.lastgroup, match.group()
    readers = {"number": _number_value, "date": _date_value, "datetime": _datetime_value}
    value = readers[kind](text, soql, position) if kind in readers else None
    return Token(kind, text, position, value)


def _number_value(text: str, soql: str, position: int) -> int | float:
    return float(text) if "." in text else int(text)


def _date_value(text: str, soql: str, position: int) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise located_error(
            "MALFORMED_QUERY", soql, position, f"unexpected token: '{text}'"
        ) from None


def _datetime_value(text: str, soql: str, position: int) -> datetime:
    year, month, day, hour, minute, second, fraction, sign, tz_hours, tz_minutes = (
        DATETIME_PARTS.fullmatch(text).groups()
    )
    offset = timedelta(hours=int(tz_hours or 0), minutes=int(tz_minutes or 0))
    zone = timezone(-offset if sign == "-" else offset)
    microsecond = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), microsecond, zone
        )
    except ValueError:
        raise located_error(
            "MALFORMED_QUERY", soql, position, f"unexpected token: '{text}'"
        ) from None
    return moment.astimezone(UTC)


def _string_token(soql: str, start: int) -> Token:
    """Read a quoted literal from `start` (its opening quote) and decode its escapes.

    The positions of characters written as `\\%` or `\\_` are kept: they are literal in a LIKE
    pattern and an error anywhere else.
    """
    chars: list[str] = []
    like_escapes: set[int] = set()
    position = start + 1
    while position < len(soql):
        char = soql[position]
        if char == "'":
            text = soql[start : position + 1]
            if len(chars) > MAX_STRING_LITERAL_CHARS:
                detail = f"String literal too long: {MAX_STRING_LITERAL_CHARS} characters maximum"
                raise located_error("MALFORMED_QUERY", soql, start, detail)
            return Token("string", text, start, "".join(chars), frozenset(like_escapes))
        if char == "\\":
            decoded, width = _escape_sequence(soql, start, position)
            if decoded in LIKE_ONLY_ESCAPES:
                like_escapes.add(len(chars))
            chars.append(decoded)
            position += width
        else:
            chars.append(char)
            position += 1
    raise located_error("MALFORMED_QUERY", soql, start, "unexpected token: '<EOF>'")


def _escape_sequence(soql: str, start: int, position: int) -> tuple[str, int]:
    """Decode the escape at `position` (a backslash): (character, characters consumed)."""
    code = soql[position + 1 : position + 2]
    if code.lower() in SIMPLE_ESCAPES:
        return SIMPLE_ESCAPES[code.lower()], 2
    if code in LIKE_ONLY_ESCAPES:
        return code, 2
    hex_digits = soql[position + 2 : position + 6]
    if code in ("u", "U") and re.fullmatch(r"[0-9A-Fa-f]{4}", hex_digits):
        return chr(int(hex_digits, 16)), 6
    raise invalid_string_literal(soql, start, soql[position : position + 2])


def invalid_string_literal(soql: str, start: int, sequence: str) -> SoqlError:
    """Salesforce's error for a backslash sequence it does not accept in this place."""
    literal = soql[start : _literal_end(soql, start)]
    detail = (
        f"Invalid string literal {literal}. "
        f"Illegal character sequence '{sequence}' in string literal."
    )
    return located_error("MALFORMED_QUERY", soql, start, detail)


def _literal_end(soql: str, start: int) -> int:
    """The index just past the quoted literal opening at `start` (or the end of the text)."""
    position = start + 1
    while position < len(soql):
        if soql[position] == "\\":
            position += 2
        elif soql[position] == "'":
            return position + 1
        else:
            position += 1
    return len(soql)

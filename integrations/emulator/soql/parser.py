"""Recursive-descent parser for the SOQL subset the emulator serves.

It checks grammar only (clause order, AND/OR mixing without parentheses, literal shapes) and
produces a small syntax tree with names as written; the engine resolves names and types.
Anything outside the subset is rejected as MALFORMED_QUERY at the first token that does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexer import SoqlError, Token, located_error, tokenize

RESERVED_WORDS = frozenset(
    "SELECT FROM WHERE AND OR NOT IN LIKE ORDER BY LIMIT OFFSET NULL TRUE FALSE "
    "GROUP HAVING WITH USING INCLUDES EXCLUDES TYPEOF".split()
)
COMPARISON_OPERATORS = frozenset({"=", "!=", "<>", "<", "<=", ">", ">="})
VALUE_KEYWORDS = frozenset({"TRUE", "FALSE", "NULL", "TODAY", "YESTERDAY", "TOMORROW"})
DATE_N_KEYWORDS = frozenset({"LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO"})
LITERAL_KINDS = frozenset({"string", "number", "date", "datetime"})
MAX_NESTING = 100
TOO_COMPLICATED = (
    "Query is either selecting too many fields or the filter conditions are too complicated."
)


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A field name or relationship path (`Account.Name`) as written in the statement."""

    text: str
    position: int


@dataclass(frozen=True, slots=True)
class Comparison:
    """`field operator value`; operator is one of =, !=, <, <=, >, >=, LIKE, IN, NOT IN
    (`<>` is normalised to `!=`). `value` is a tuple of tokens for IN and NOT IN."""

    field: FieldPath
    operator: str
    value: Token | tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class Junction:
    """Two or more conditions joined by the same operator, AND or OR."""

    operator: str
    parts: tuple


@dataclass(frozen=True, slots=True)
class Negation:
    part: object


@dataclass(frozen=True, slots=True)
class OrderItem:
    field: FieldPath
    descending: bool
    nulls_first: bool


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    select: tuple[FieldPath, ...]
    is_count: bool
    object_name: str
    object_position: int
    where: Comparison | Junction | Negation | None
    order_by: tuple[OrderItem, ...]
    limit: int | None
    offset: int | None


def parse(soql: str) -> ParsedQuery:
    """Parse a statement; raises SoqlError (MALFORMED_QUERY) on anything outside the subset."""
    return _Parser(soql).query()


class _Parser:
    def __init__(self, soql: str):
        self.soql = soql
        self.tokens = tokenize(soql)
        self.index = 0
        self.depth = 0

    # -- token helpers ------------------------------------------------------------------

    @property
    def current(self) -> Token:
        token = self.tokens[self.index]
        if token.kind == "error":
            raise token.value
        return token

    def advance(self) -> Token:
        token = self.current
        if token.kind != "end":
            self.index += 1
        return token

    def accept(self, *keywords: str) -> Token | None:
        if self.current.is_keyword(*keywords):
            return self.advance()
        return None

    def expect(self, *keywords: str) -> Token:
        token = self.accept(*keywords)
        if token is None:
            raise self.unexpected()
        return token

    def at_punctuation(self, text: str) -> bool:
        return self.current.kind == "punctuation" and self.current.text == text

    def expect_punctuation(self, text: str) -> Token:
        if not self.at_punctuation(text):
            raise self.unexpected()
        return self.advance()

    def unexpected(self, token: Token | None = None):
        token = token or self.current
        return located_error(
            "MALFORMED_QUERY", self.soql, token.position, f"unexpected token: '{token.text}'"
        )

    # -- clauses ------------------------------------------------------------------------

    def query(self) -> ParsedQuery:
        self.expect("SELECT")
        is_count, select = self.select_list()
        self.expect("FROM")
        object_token = self.field_token()
        if "." in object_token.text:
            raise self.unexpected(object_token)
        where = self.condition() if self.accept("WHERE") else None
        order_by = self.order_by() if self.accept("ORDER") else ()
        limit = self.count_value() if self.accept("LIMIT") else None
        offset = self.count_value() if self.accept("OFFSET") else None
        if self.current.kind != "end":
            raise self.unexpected()
        return ParsedQuery(
            select=select,
            is_count=is_count,
            object_name=object_token.text,
            object_position=object_token.position,
            where=where,
            order_by=order_by,
            limit=limit,
            offset=offset,
        )

    def select_list(self) -> tuple[bool, tuple[FieldPath, ...]]:
        following = self.tokens[min(self.index + 1, len(self.tokens) - 1)]
        if self.current.is_keyword("COUNT") and following.text == "(":
            self.advance()
            self.expect_punctuation("(")
            self.expect_punctuation(")")
            return True, ()
        fields = [self.field_path()]
        while self.at_punctuation(","):
            self.advance()
            fields.append(self.field_path())
        return False, tuple(fields)

    def order_by(self) -> tuple[OrderItem, ...]:
        self.expect("BY")
        items = [self.order_item()]
        while self.at_punctuation(","):
            self.advance()
            items.append(self.order_item())
        return tuple(items)

    def order_item(self) -> OrderItem:
        field = self.field_path()
        direction = self.accept("ASC", "DESC")
        descending = direction is not None and direction.is_keyword("DESC")
        nulls_first = not descending
        if self.accept("NULLS"):
            nulls_first = self.expect("FIRST", "LAST").is_keyword("FIRST")
        return OrderItem(field, descending, nulls_first)

    def count_value(self) -> int:
        token = self.advance()
        if token.kind != "number" or not token.text.isdigit():
            raise self.unexpected(token)
        return token.value

    # -- names --------------------------------------------------------------------------

    def field_token(self) -> Token:
        token = self.current
        if token.kind != "name" or token.text.split(".")[0].upper() in RESERVED_WORDS:
            raise self.unexpected()
        return self.advance()

    def field_path(self) -> FieldPath:
        token = self.field_token()
        return FieldPath(token.text, token.position)

    # -- conditions ---------------------------------------------------------------------

    def condition(self):
        """`[NOT] operand`, then either only ANDs or only ORs; mixing needs parentheses."""
        parts = [self.operand(allow_not=True)]
        joiner = self.accept("AND", "OR")
        if joiner is None:
            return parts[0]
        operator = joiner.text.upper()
        other = "OR" if operator == "AND" else "AND"
        while True:
            parts.append(self.operand(allow_not=False))
            if self.current.is_keyword(other):
                raise self.unexpected()
            if not self.accept(operator):
                return Junction(operator, tuple(parts))

    def operand(self, *, allow_not: bool):
        if allow_not and self.accept("NOT"):
            return Negation(self.operand(allow_not=False))
        if self.at_punctuation("("):
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise SoqlError("QUERY_TOO_COMPLICATED", TOO_COMPLICATED)
            self.advance()
            inner = self.condition()
            self.expect_punctuation(")")
            self.depth -= 1
            return inner
        return self.comparison()

    def comparison(self) -> Comparison:
        field = self.field_path()
        token = self.current
        if token.kind == "operator":
            self.advance()
            operator = "!=" if token.text == "<>" else token.text
            return Comparison(field, operator, self.literal())
        if self.accept("LIKE"):
            return Comparison(field, "LIKE", self.literal())
        negated = bool(self.accept("NOT"))
        if self.accept("IN"):
            return Comparison(field, "NOT IN" if negated else "IN", self.literal_list())
        raise self.unexpected()

    def literal_list(self) -> tuple[Token, ...]:
        self.expect_punctuation("(")
        values = [self.literal()]
        while self.at_punctuation(","):
            self.advance()
            values.append(self.literal())
        self.expect_punctuation(")")
        return tuple(values)

    def literal(self) -> Token:
        token = self.current
        is_value_keyword = token.is_keyword(*VALUE_KEYWORDS)
        is_date_n = token.kind == "date_n" and token.text.split(":")[0].upper() in DATE_N_KEYWORDS
        if token.kind in LITERAL_KINDS or is_value_keyword or is_date_n:
            return self.advance()
        raise self.unexpected()

"""Resolving SOQL names against the emulator's schema, and reading field values from records.

Object, relationship and field names are matched case-insensitively and turned into their
canonical spelling, with Salesforce's errors for names that do not exist. Each resolved field
carries a reader that returns the value in the form SOQL compares it: text lowercased (SOQL
text comparison is case-insensitive) with the empty string read as null, as Salesforce stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..records.schema import ID_TYPES, NUMBER_TYPES
from .lexer import located_error
from .parser import FieldPath

FieldsOf = Callable[[str], dict[str, dict] | None]
ParentOf = Callable[[dict, str], dict | None]
Reader = Callable[[dict, ParentOf], Any]

# The type names Salesforce uses in "must be of type ..." messages.
TYPE_LABELS = {"int": "integer", "currency": "double", "percent": "double", "datetime": "dateTime"}

NO_SUCH_COLUMN = (
    "No such column '{name}' on entity '{entity}'. If you are attempting to use a custom field, "
    "be sure to append the '__c' after the custom field name. Please reference your WSDL or the "
    "describe call for the appropriate names."
)
UNKNOWN_RELATIONSHIP = (
    "Didn't understand relationship '{name}' in field path. If you are attempting to use a "
    "custom relationship, be sure to append the '__r' after the custom relationship name. "
    "Please reference your WSDL or the describe call for the appropriate names."
)
UNKNOWN_OBJECT = (
    "sObject type '{name}' is not supported. If you are attempting to use a custom object, be "
    "sure to append the '__c' after the entity name. Please reference your WSDL or the describe "
    "call for the appropriate names."
)


def field_kind(field_type: str) -> str:
    """How values of a Salesforce field type compare: text, id, number, boolean, date, datetime.

    Every type not listed otherwise (string, email, phone, url, textarea, picklist ...) is text.
    """
    if field_type in ID_TYPES:
        return "id"
    if field_type in NUMBER_TYPES:
        return "number"
    if field_type in {"boolean", "date", "datetime"}:
        return field_type
    return "text"


def make_reader(path: str, kind: str) -> Reader:
    """A function reading the value at a canonical `path` (`Account.Owner.Name`).

    Text is lowercased and empty text and ids read as None; other kinds read as stored.
    """
    *relationships, name = path.split(".")
    if kind == "text":

        def read_own(record: dict, get_parent: ParentOf) -> Any:
            value = record.get(name)
            return value.lower() if value else None

    elif kind == "id":

        def read_own(record: dict, get_parent: ParentOf) -> Any:
            return record.get(name) or None

    else:

        def read_own(record: dict, get_parent: ParentOf) -> Any:
            return record.get(name)

    if not relationships:
        return read_own

    def read_through_parents(record: dict, get_parent: ParentOf) -> Any:
        for relationship in relationships:
            record = get_parent(record, relationship)
            if record is None:
                return None
        return read_own(record, get_parent)

    return read_through_parents


def make_raw_reader(path: str) -> Reader:
    """A function reading the stored value at a canonical `path`, unchanged."""
    return make_reader(path, "stored")


@dataclass(frozen=True, slots=True)
class ResolvedField:
    """A field path with canonical names, its describe info and its comparison kind."""

    path: str
    name: str
    info: dict
    kind: str
    read: Reader

    @property
    def is_local(self) -> bool:
        return "." not in self.path

    @property
    def type_label(self) -> str:
        if self.kind == "text":
            return "string"
        if self.kind == "id":
            return "id"
        return TYPE_LABELS.get(self.info["type"], self.info["type"])


class Resolver:
    """Resolves names for one statement, caching each object's field maps."""

    def __init__(self, soql: str, fields_of: FieldsOf):
        self.soql = soql
        self.fields_of = fields_of
        self.object_name = ""
        self._fields: dict[str, dict[str, tuple[str, dict]]] = {}
        self._relationships: dict[str, dict[str, tuple[str, dict]]] = {}

    def resolve_object(self, name: str, position: int) -> str:
        canonical = self.fields_of.canonical_name(name)
        if canonical is None or self.fields_of(canonical) is None:
            detail = UNKNOWN_OBJECT.format(name=name)
            raise located_error("INVALID_TYPE", self.soql, position, detail)
        self.object_name = canonical
        return canonical

    def resolve(self, field: FieldPath) -> ResolvedField:
        """Resolve `field` on the statement's object, following relationship names."""
        *relationship_names, field_name = field.text.split(".")
        entity = self.object_name
        canonical_path = []
        for name in relationship_names:
            relationship, info = self._lookup(
                self._relationship_map(entity), name, field, UNKNOWN_RELATIONSHIP.format(name=name)
            )
            canonical_path.append(relationship)
            entity = info["referenceTo"][0]
        missing = NO_SUCH_COLUMN.format(name=field_name, entity=entity)
        name, info = self._lookup(self._field_map(entity), field_name, field, missing)
        path = ".".join([*canonical_path, name])
        kind = field_kind(info.get("type", "string"))
        return ResolvedField(path, name, info, kind, make_reader(path, kind))

    def _lookup(self, names: dict, name: str, field: FieldPath, detail: str) -> tuple[str, dict]:
        found = names.get(name.lower())
        if found is None:
            raise located_error("INVALID_FIELD", self.soql, field.position, detail)
        return found

    def _field_map(self, entity: str) -> dict[str, tuple[str, dict]]:
        if entity not in self._fields:
            fields = self.fields_of(entity) or {}
            self._fields[entity] = {name.lower(): (name, info) for name, info in fields.items()}
        return self._fields[entity]

    def _relationship_map(self, entity: str) -> dict[str, tuple[str, dict]]:
        if entity not in self._relationships:
            self._relationships[entity] = {
                info["relationshipName"].lower(): (info["relationshipName"], info)
                for _, info in self._field_map(entity).values()
                if info.get("relationshipName") and info.get("referenceTo")
            }
        return self._relationships[entity]

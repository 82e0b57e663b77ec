"""Field and object metadata: what describe answers and what every write is validated against.

`Field` and `SObjectType` carry exactly the attributes Salesforce's describe exposes that the
emulator acts upon (types, lengths, createable/updateable, picklists, references, external ids).
The concrete objects are declared in `objects.py`; `Schema` looks them up case-insensitively.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

TEXT_TYPES = frozenset({"string", "textarea", "email", "phone", "url", "picklist"})
ID_TYPES = frozenset({"id", "reference"})
NUMBER_TYPES = frozenset({"int", "double", "currency", "percent"})

_SOAP_TYPES = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "int": "xsd:int",
    "double": "xsd:double",
    "currency": "xsd:double",
    "percent": "xsd:double",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "base64": "xsd:base64Binary",
}


@dataclass(frozen=True)
class PicklistValue:
    value: str
    label: str | None = None
    default: bool = False
    active: bool = True
    valid_for: str | None = None  # base64 bitmap over the controlling picklist's values
    attributes: dict = field(default_factory=dict, hash=False, compare=False)

    def describe(self) -> dict:
        return {
            "active": self.active,
            "defaultValue": self.default,
            "label": self.label or self.value,
            "validFor": self.valid_for,
            "value": self.value,
        }


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    length: int = 0
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    defaulted_on_create: bool = False
    default: Any = None
    external_id: bool = False
    id_lookup: bool = False
    unique: bool = False
    custom: bool = False
    name_field: bool = False
    picklist: tuple[PicklistValue, ...] = ()
    restricted_picklist: bool = False
    controller_name: str | None = None
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    precision: int = 0
    scale: int = 0
    formula: str | None = None  # a formula field's expression (computed, never written)
    # An auto-number field's display format as a Python format of the record's serial
    # (e.g. "SR-{0:06d}"): Salesforce sets it on insert, nobody writes it.
    auto_number: str | None = None

    @property
    def required(self) -> bool:
        """Whether an insert must give a value (Salesforce's "required" has no own flag)."""
        return self.createable and not self.nillable and not self.defaulted_on_create

    @cached_property
    def picklist_by_value(self) -> dict[str, PicklistValue]:
        return {entry.value: entry for entry in self.picklist if entry.active}

    def describe(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "soapType": _SOAP_TYPES.get(self.type, "xsd:string"),
            "length": self.length,
            "byteLength": self.length * 3,
            "precision": self.precision,
            "scale": self.scale,
            "digits": self.precision if self.type == "int" else 0,
            "nillable": self.nillable,
            "createable": self.createable,
            "updateable": self.updateable,
            "defaultedOnCreate": self.defaulted_on_create,
            "defaultValue": self.default if isinstance(self.default, str | bool) else None,
            "externalId": self.external_id,
            "idLookup": self.id_lookup,
            "unique": self.unique,
            "custom": self.custom,
            "nameField": self.name_field,
            "autoNumber": self.auto_number is not None,
            "calculated": self.formula is not None,
            "calculatedFormula": self.formula,
            "caseSensitive": False,
            "filterable": self.filterable,
            "sortable": self.filterable,
            "picklistValues": [entry.describe() for entry in self.picklist],
            "restrictedPicklist": self.restricted_picklist,
            "dependentPicklist": self.controller_name is not None,
            "controllerName": self.controller_name,
            "referenceTo": list(self.reference_to),
            "relationshipName": self.relationship_name,
            "polymorphicForeignKey": len(self.reference_to) > 1,
        }

    @property
    def filterable(self) -> bool:
        """Long text areas and base64 fields can be neither filtered nor sorted on."""
        if self.type == "base64":
            return False
        return self.type != "textarea" or self.length <= 255

    def soql_info(self) -> dict:
        return {
            "type": self.type,
            "filterable": self.filterable,
            "sortable": self.filterable,
            "referenceTo": list(self.reference_to),
            "relationshipName": self.relationship_name,
        }


@dataclass
class SObjectType:
    name: str
    label: str
    label_plural: str
    key_prefix: str
    fields: dict[str, Field]
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    custom: bool = False
    # Other names its ids answer to in lookups: a ContentNote's id is its ContentDocument's.
    aliases: tuple[str, ...] = ()

    def __post_init__(self):
        self._by_lower = {name.lower(): spec for name, spec in self.fields.items()}
        self._relationships = {
            spec.relationship_name.lower(): spec
            for spec in self.fields.values()
            if spec.relationship_name
        }

    def answers_to(self, names: tuple[str, ...]) -> bool:
        """Whether a lookup to any of `names` may point at a record of this object."""
        return self.name in names or any(alias in names for alias in self.aliases)

    def field(self, name: str) -> Field | None:
        return self._by_lower.get(name.lower())

    def relationship(self, name: str) -> Field | None:
        return self._relationships.get(name.lower())

    @cached_property
    def lookup_fields(self) -> tuple[str, ...]:
        """Fields an upsert may match on and the store indexes (idLookup, minus Id)."""
        return tuple(name for name, spec in self.fields.items() if spec.id_lookup and name != "Id")

    @cached_property
    def blob_fields(self) -> frozenset[str]:
        """base64 fields, whose bytes are served at their own URL rather than inline."""
        return frozenset(name for name, spec in self.fields.items() if spec.type == "base64")

    @cached_property
    def auto_number_fields(self) -> tuple[Field, ...]:
        return tuple(spec for spec in self.fields.values() if spec.auto_number)

    @cached_property
    def unique_fields(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.fields.items() if spec.unique)

    def summary(self, base: str) -> dict:
        url = f"{base}/sobjects/{self.name}"
        return {
            "name": self.name,
            "label": self.label,
            "labelPlural": self.label_plural,
            "keyPrefix": self.key_prefix,
            "custom": self.custom,
            "createable": self.createable,
            "updateable": self.updateable,
            "deletable": self.deletable,
            "undeletable": self.deletable,
            "queryable": True,
            "retrieveable": True,
            "searchable": True,
            "replicateable": True,
            "layoutable": self.createable,
            "urls": {
                "sobject": url,
                "describe": f"{url}/describe",
                "rowTemplate": f"{url}/{{ID}}",
            },
        }

    def describe(self, base: str) -> dict:
        return {
            **self.summary(base),
            "fields": [spec.describe() for spec in self.fields.values()],
            "childRelationships": [],
            "recordTypeInfos": [],
        }


class Schema:
    """The org's objects, found by name (case-insensitive) or by id key prefix."""

    def __init__(self, objects: list[SObjectType]):
        self.objects = {obj.name: obj for obj in objects}
        self._by_lower = {obj.name.lower(): obj for obj in objects}
        self._by_prefix = {obj.key_prefix: obj for obj in objects}

    def get(self, name: str) -> SObjectType | None:
        return self._by_lower.get(name.lower()) if isinstance(name, str) else None

    def for_id(self, record_id: str) -> SObjectType | None:
        return self._by_prefix.get(record_id[:3])

"""Matching keys: emails and company names compared in any case, the same on every database.

SQLite's LOWER() folds only ASCII letters, PostgreSQL's folds every letter: `v@MÜNCHEN.de` and
`v@münchen.de` were one contact on PostgreSQL and two on SQLite. So the key is computed here,
once, in Python (NFC, then Unicode case folding, so `STRASSE` and `Straße` match too) and stored
beside the value; lookups and the unique constraint use the stored key.

`KeyedCharField` and `KeyedEmailField` keep their key field up to date whenever the value is
assigned (constructor, attribute, form), so every save and bulk insert writes a matching key.
A bulk UPDATE that writes the value must write the key too: `with_key_fields` adds them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

# Case folding turns one character into at most three (e.g. "ΐ"): room for the longest key.
FOLD_EXPANSION = 3
_UNSET = object()


def match_key(value: str) -> str:
    """The form two values share when they match in any case: 'MÜNCHEN ' → 'münchen'."""
    folded = unicodedata.normalize("NFC", value.strip()).casefold()
    return unicodedata.normalize("NFC", folded)


class _KeyedAttribute(DeferredAttribute):
    """Assigning a new value sets its key; assigning the value it has keeps the key it has
    (so a row the migration gave a distinct key keeps it when it is saved again)."""

    def __set__(self, instance, value) -> None:
        data = instance.__dict__
        changed = data.get(self.field.attname, _UNSET) != value
        data[self.field.attname] = value
        if changed and isinstance(value, str):
            data[self.field.key_field] = match_key(value)


class _KeyAttribute(DeferredAttribute):
    """The key itself: the model's constructor assigns the field default ("") after the
    value; that must not wipe the key the value just set."""

    def __set__(self, instance, value) -> None:
        if value == "" and instance.__dict__.get(self.field.attname):
            return
        instance.__dict__[self.field.attname] = value


class KeyField(models.CharField):
    """The stored key of a keyed field (never edited by hand)."""

    descriptor_class = _KeyAttribute


class _Keyed:
    """A text field whose `key_field` (on the same model) always holds its `match_key`."""

    descriptor_class = _KeyedAttribute

    def __init__(self, *args, key_field: str, **kwargs) -> None:
        self.key_field = key_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["key_field"] = self.key_field
        return name, path, args, kwargs


class KeyedCharField(_Keyed, models.CharField):
    pass


class KeyedEmailField(_Keyed, models.EmailField):
    pass


class KeyedModelMixin:
    """Model validation (forms) checks a key's unique constraint whenever its value field is
    validated, and reports a violation on the value field (the key is not on any form)."""

    def validate_constraints(self, exclude=None):
        keys = key_fields_of(type(self))
        exclude = set(exclude or ())
        exclude -= {key for name, key in keys.items() if name not in exclude}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            sources = {key: name for name, key in keys.items()}
            errors = error.message_dict.items()
            raise ValidationError({sources.get(f, f): messages for f, messages in errors}) from None


def key_field(source_max_length: int, *, verbose_name: str) -> KeyField:
    """The key field for a keyed field of this length."""
    return KeyField(verbose_name, max_length=source_max_length * FOLD_EXPANSION, editable=False)


def key_fields_of(model: type[models.Model]) -> dict[str, str]:
    """Value field name → key field name, for every KeyedCharField of the model."""
    return {
        field.name: field.key_field
        for field in model._meta.concrete_fields
        if isinstance(field, _Keyed)
    }


def with_key_fields(model: type[models.Model], field_names: Iterable[str]) -> list[str]:
    """`field_names` plus the key field of each keyed value among them (for bulk UPDATEs)."""
    names = list(field_names)
    keys = key_fields_of(model)
    return names + [keys[name] for name in names if name in keys and keys[name] not in names]

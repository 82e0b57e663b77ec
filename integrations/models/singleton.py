"""Rows of which there is exactly one: the Salesforce connection and the sync settings.

The row's primary key is `SINGLETON_PK`, and this module is the only place that says so:
everything else asks for the row through `load()`, `locked()` or `objects.row()`.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models

SINGLETON_PK = 1


class SingletonQuerySet(models.QuerySet):
    def row(self) -> models.QuerySet:
        """The one row as a queryset (for a column UPDATE, a log entry, or `.first()`)."""
        return self.filter(pk=SINGLETON_PK)


class SingletonModel(models.Model):
    """Abstract base of a one-row model; saving always writes that row."""

    objects = SingletonQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.pk = SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> Self:
        """Return the row, creating it with its defaults on first use."""
        row, _ = cls.objects.get_or_create(pk=SINGLETON_PK)
        return row

    @classmethod
    def locked(cls) -> Self:
        """The row, locked for update until the transaction ends (call inside one)."""
        cls.load()
        return cls.objects.select_for_update().get(pk=SINGLETON_PK)

    @classmethod
    def update_row(cls, **fields: Any) -> int:
        """Write only these columns (one UPDATE), leaving what other workers write alone."""
        return cls.objects.row().update(**fields)

    def update_columns(self, **fields: Any) -> None:
        """Set these fields on this instance and write only their columns (`update_row`)."""
        type(self).update_row(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

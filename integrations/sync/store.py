"""Where a cycle's local writes go: every handler writes its records through `cycle.store`.

`LocalStore` writes to the database; the sync preview gives its cycle a store that writes
nothing and only tallies what would have been written (`integrations.sync.preview`), so the
preview runs the handlers' own code up to the write itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Model, QuerySet

from integrations.sync.db import update_rows


class LocalStore:
    """The database: creates, updates by primary key, deletes and single saves."""

    def create(self, model: type[Model], rows: Sequence[Model], **options) -> None:
        """Insert `rows` (`options`: those of `bulk_create`, e.g. `ignore_conflicts`)."""
        if rows:
            model.objects.bulk_create(rows, batch_size=500, **options)

    def update(self, model: type[Model], rows: Sequence[Model], fields: Sequence[str]) -> None:
        """Write `fields` of every row by primary key (`db.update_rows`)."""
        update_rows(model, rows, fields)

    def delete(self, queryset: QuerySet) -> None:
        queryset.delete()

    def save(self, row: Model) -> None:
        """Save one row, new or not (e.g. a watermark)."""
        row.save()

    def current(self, rows: list[Model]) -> list[Model]:
        """The rows of a push batch as this cycle left them: as read, since its writes are
        in the database already."""
        return rows

"""Where a cycle's local writes go: every handler writes its records through `cycle.store`.

`LocalStore` writes to the database; the sync preview gives its cycle a store that writes
nothing and only tallies what would have been written (`integrations.sync.preview`), so the
preview runs the handlers' own code up to the write itself. Lookups that read local records
ask the store first (`linked`, `linked_by_email`, `linked_by_name`, `pending`): the
database's answer is the whole answer for `LocalStore`, whose writes are there already; a
preview's store answers with the records it would have written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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

    def pending(self, model: type[Model]) -> list[int]:
        """Primary keys of the records this cycle left to push that the database does not
        show as such: none, the database shows them."""
        return []

    def linked(self, model: type[Model], salesforce_ids: Iterable[str]) -> dict[str, Model]:
        """The records this cycle linked to these Salesforce ids (or created with them) that
        the database does not show: none."""
        return {}

    def linked_by_email(self, keys: Iterable[str]) -> dict[str, Model]:
        """The contacts of these email keys this cycle linked or created, beyond the
        database: none."""
        return {}

    def linked_by_name(self, keys: Iterable[str]) -> dict[str, Model]:
        """The companies of these name keys this cycle linked or created, beyond the
        database: none."""
        return {}

"""A fast bulk UPDATE for the sync's batches.

Django's `bulk_update` builds one CASE WHEN expression per field and row, which costs far
more than the sync's Salesforce round trips for batches of thousands (profiled: ~75% of an
outbound batch). The sync only ever writes its own per-row values by primary key, so one
parameterised UPDATE run with `executemany` does the same work in a fraction of the time,
with each value prepared by its model field exactly as `save()` would; fields with
`auto_now` (a record's `updated_at`) are written too, as `save()` would.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import DateTimeField, Model
from django.utils import timezone

from tracking.models.keys import with_key_fields


def update_rows(model: type[Model], rows: Sequence[Model], field_names: Sequence[str]) -> None:
    """Write `field_names` of every row (by primary key) in one executemany, with the
    matching key of any keyed field among them (tracking.models.keys)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in with_key_fields(model, field_names)]
    fields += [field for field in _auto_now_fields(model) if field not in fields]
    now = timezone.now()
    for row in rows:
        for field in _auto_now_fields(model):
            setattr(row, field.attname, now)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    statement = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608 - names are ours
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    parameters = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
        + [row.pk]
        for row in rows
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(statement, parameters)


def _auto_now_fields(model: type[Model]) -> list[DateTimeField]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, DateTimeField) and field.auto_now
    ]

"""Upserts of document and activity tracking records: links, visits and activities.

Each is matched by the host product's `external_id`, checked as a whole batch before anything
is written, and written in one transaction with a bounded number of queries however many
items (as the contact upsert: one read per kind of related row, bulk inserts, bulk updates).
A link's document or room is found (or created) by its URL; a visit's link must already be
stored (posted to the links endpoint before); owners and authors are the local users with that
email, if any. Once a write commits, `activity_records_changed` tells the sync, which pushes
new and changed records within seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from tracking.choices import LinkKind, Origin
from tracking.models import Activity, Document, Link, Room, Visit
from tracking.services import (
    ItemError,
    Plan,
    RecordValidationError,
    UpsertResult,
    UpsertStatus,
    Values,
    _raise_for_duplicates,
    _upsert,
)
from tracking.signals import activity_records_changed


def links_upsert(*, items: Sequence[Values]) -> list[UpsertResult]:
    """Create or update links by `external_id`; the document or room of the link's `url` is
    created, or renamed to the link's `name`. `created_at` is when the host created it."""
    _raise_for_duplicates(items, key=lambda item: ("external_id", item["external_id"]))
    return _announced(Link, _upsert(Link, items, _plan_links))


def visits_upsert(*, items: Sequence[Values]) -> list[UpsertResult]:
    """Create or update visits by `external_id`: each post of a visit updates the same one.

    `link_id` is the external id of a link stored before; an unknown one is a 400 for that item.
    """
    _raise_for_duplicates(items, key=lambda item: ("external_id", item["external_id"]))
    with transaction.atomic():
        results = _upsert(Visit, items, _plan_visits)
        _links_with_new_visitors(results)
    return _announced(Visit, results)


def activities_upsert(*, items: Sequence[Values]) -> list[UpsertResult]:
    """Create or update activities by `external_id`; the author is the local user with
    `author_email`, if any."""
    _raise_for_duplicates(items, key=lambda item: ("external_id", item["external_id"]))
    return _announced(Activity, _upsert(Activity, items, _plan_activities))


def _links_with_new_visitors(results: list[UpsertResult]) -> None:
    """A new visit adds a visitor to its link, whose Task lists them: the link changed too."""
    created = (result for result in results if result.status == UpsertStatus.CREATED)
    link_ids = {result.record.link_id for result in created}
    if link_ids:
        now = timezone.now()
        Link.objects.filter(pk__in=link_ids).update(local_modified_at=now, updated_at=now)


def _announced(model, results: list[UpsertResult]) -> list[UpsertResult]:
    """Tell the sync, once committed, which records changed (unchanged ones are left out)."""
    pks = [result.record.pk for result in results if result.status != UpsertStatus.UNCHANGED]
    if pks:
        transaction.on_commit(lambda: activity_records_changed.send(sender=model, pks=pks))
    return results


def _plan_links(items: Sequence[Values]) -> list[Plan]:
    existing = _by_external_id(Link, items)
    users = _users_by_email(item.get("owner_email", "") for item in items)
    targets = {
        LinkKind.DOCUMENT: _targets(Document, items, kind=LinkKind.DOCUMENT),
        LinkKind.ROOM: _targets(Room, items, kind=LinkKind.ROOM),
    }
    plans: list[Plan] = []
    for item in items:
        values = {name: value for name, value in item.items() if name not in ("url", "created_at")}
        target = targets[item["kind"]][item["url"]]
        values["document_id"] = target.pk if item["kind"] == LinkKind.DOCUMENT else None
        values["room_id"] = target.pk if item["kind"] == LinkKind.ROOM else None
        if "owner_email" in item:
            values["owner_id"] = users.get(item["owner_email"].lower())
        if "created_at" in item:
            values["shared_at"] = item["created_at"]
        plans.append((existing.get(item["external_id"]), values))
    return plans


def _plan_visits(items: Sequence[Values]) -> list[Plan]:
    existing = _by_external_id(Visit, items)
    link_ids = {item["link_id"] for item in items}
    links = dict(Link.objects.filter(external_id__in=link_ids).values_list("external_id", "pk"))
    plans: list[Plan] = []
    errors = []
    for index, item in enumerate(items):
        if item["link_id"] not in links:
            reason = "unknown link: no link has this external_id (post it to /links first)"
            errors.append(ItemError(index=index, field="link_id", reason=reason))
            continue
        plans.append(
            (existing.get(item["external_id"]), {**item, "link_id": links[item["link_id"]]})
        )
    if errors:
        raise RecordValidationError(errors)
    return plans


def _plan_activities(items: Sequence[Values]) -> list[Plan]:
    existing = _by_external_id(Activity, items)
    users = _users_by_email(item.get("author_email", "") for item in items)
    plans: list[Plan] = []
    for item in items:
        values = dict(item)
        if "author_email" in item:
            values["author_id"] = users.get(item["author_email"].lower())
        plans.append((existing.get(item["external_id"]), values))
    return plans


def _by_external_id(model, items: Sequence[Values]) -> dict[str, Any]:
    """The rows of these items, locked for the upsert: one query."""
    ids = [item["external_id"] for item in items]
    return {
        row.external_id: row
        for row in model.objects.filter(external_id__in=ids).select_for_update()
    }


def _users_by_email(emails: Iterable[str]) -> dict[str, int]:
    """Local users' ids by lower-cased email (the oldest of several wins): one query."""
    wanted = {email.lower() for email in emails if email}
    if not wanted:
        return {}
    rows = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .order_by("-pk")
        .values_list("email_lower", "pk")
    )
    return dict(rows)


def _targets(model, items: Sequence[Values], *, kind: LinkKind) -> dict[str, Any]:
    """The documents (or rooms) of these links by URL, missing ones created, names updated to
    the last one given: at most three queries."""
    names: dict[str, str | None] = {}
    for item in items:
        if item["kind"] == kind:
            names[item["url"]] = item.get("name", names.get(item["url"]))
    if not names:
        return {}
    found = {row.url: row for row in model.objects.filter(url__in=names).select_for_update()}
    renamed = []
    now = timezone.now()
    for row in found.values():
        name = names[row.url]
        if name is not None and row.name != name:
            row.name, row.local_modified_at, row.updated_at = name, now, now
            renamed.append(row)
    if renamed:
        model.objects.bulk_update(renamed, ["name", "local_modified_at", "updated_at"])
    created = [
        model(url=url, name=name or "", origin=Origin.LOCAL, local_modified_at=now)
        for url, name in names.items()
        if url not in found
    ]
    for row in model.objects.bulk_create(created):
        found[row.url] = row
    return found

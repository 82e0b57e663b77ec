"""Salesforce owners ↔ local users, through seats first and emails second.

A Salesforce user's local user is the holder of the seat linked to it, else the local user
with that User's email (any case, the oldest of several); active local users only, so a
contact never moves to someone who can no longer sign in. A local user's Salesforce user is
their seat's, when the seat is matched to an active user, else the active User with their
email. Users are read through the cycle's `Owners`, so each is asked for once a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from integrations.models import Seat
from integrations.sync.cycle import Cycle
from integrations.sync.owners import Owners


def local_owners(cycle: Cycle, salesforce_user_ids: Iterable[str]) -> dict[str, object]:
    """The local user of each of these Salesforce users that has one (by Salesforce id)."""
    wanted = set(filter(None, salesforce_user_ids))
    if not wanted:
        return {}
    found = {
        seat.salesforce_user_id: seat.user
        for seat in Seat.objects.filter(
            salesforce_user_id__in=wanted, user__is_active=True
        ).select_related("user")
    }
    rest = wanted - found.keys()
    if not rest:
        return found
    owners = cycle.shared_one("owners", Owners)
    owners.load_ids(rest)
    emails = {}
    for user_id in rest:
        row = owners.user(user_id)
        if row and row.get("Email"):
            emails[user_id] = row["Email"].lower()
    users = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=set(emails.values()), is_active=True)
        .order_by("-pk")  # the oldest last, so it wins
    )
    by_email = {user.email_lower: user for user in users}
    found.update({key: by_email[email] for key, email in emails.items() if email in by_email})
    return found


def salesforce_owners(cycle: Cycle, user_ids: Iterable[int]) -> dict[int, str]:
    """The active Salesforce user id of each of these local users that has one (by pk)."""
    wanted = set(filter(None, user_ids))
    if not wanted:
        return {}
    found = dict(
        Seat.objects.filter(user_id__in=wanted, salesforce_active=True)
        .exclude(salesforce_user_id="")
        .values_list("user_id", "salesforce_user_id")
    )
    rest = dict(
        get_user_model()
        .objects.filter(pk__in=wanted - found.keys())
        .exclude(email="")
        .values_list("pk", "email")
    )
    if rest:
        owners = cycle.shared_one("owners", Owners)
        owners.load(rest.values())
        for pk, email in rest.items():
            if owners.user_id(email):
                found[pk] = owners.user_id(email)
    return found

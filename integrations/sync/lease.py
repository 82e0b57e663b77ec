"""The sync lease: at most one sync run at a time, across every qcluster process."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from integrations import conf
from integrations.models import SyncLease

NAME = "salesforce-sync"


def lease_acquire(*, holder: str | None = None) -> str | None:
    """Take the lease; return the holder token, or None when someone else holds it."""
    holder = holder or uuid.uuid4().hex
    SyncLease.objects.get_or_create(name=NAME)
    now = timezone.now()
    taken = (
        SyncLease.objects.filter(name=NAME)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lt=now) | Q(holder=holder))
        .update(holder=holder, expires_at=now + timedelta(seconds=conf.get("SYNC_LEASE_SECONDS")))
    )
    return holder if taken else None


def lease_renew(*, holder: str) -> bool:
    expires_at = timezone.now() + timedelta(seconds=conf.get("SYNC_LEASE_SECONDS"))
    return bool(SyncLease.objects.filter(name=NAME, holder=holder).update(expires_at=expires_at))


def lease_release(*, holder: str) -> None:
    SyncLease.objects.filter(name=NAME, holder=holder).update(holder="", expires_at=None)

"""The sync leases: at most one run per lane at a time, across every qcluster process.

Each lane has its own lease (`SyncLease.name`): the full cycle holds `salesforce-sync`, the
activity pushes hold `salesforce-activities`, so a visit's Task does not wait behind a long
contact sync, while two pushes of the same activities never run at once (a full cycle's
activity handlers take the activities lease too).

The lease is short (`SYNC_LEASE_SECONDS`, a minute) and a running sync renews it from a
background heartbeat every `SYNC_HEARTBEAT_SECONDS`, whatever the cycle is waiting for (a
long query, a Bulk API job). A process that dies stops beating, so its lease runs out within
the minute and the next run takes over; a run really still going keeps it. A run that finds
its lease gone (it stalled longer than the lease, and another run took over) stops at its
next step instead of writing alongside the new holder.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from integrations import conf
from integrations.models import SyncLease, SyncPreview, SyncRun

logger = logging.getLogger(__name__)

NAME = "salesforce-sync"
ACTIVITIES = "salesforce-activities"


class LeaseLostError(Exception):
    """Another run holds the lease now: this run must stop before it writes anything more."""


def lease_holder_name() -> str:
    """Who holds the lease, readable in the admin: host, process and a unique suffix."""
    return f"{socket.gethostname()[:32]} pid {os.getpid()} #{uuid.uuid4().hex[:8]}"


def lease_acquire(
    *, holder: str | None = None, run: SyncRun | None = None, name: str = NAME
) -> str | None:
    """Take the lease (free, run out, or ours already); return the holder, or None when
    another holder has it."""
    holder = holder or lease_holder_name()
    SyncLease.objects.get_or_create(name=name)
    now = timezone.now()
    taken = (
        SyncLease.objects.filter(name=name)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lt=now) | Q(holder=holder))
        .update(holder=holder, run=run, expires_at=_expiry(now))
    )
    return holder if taken else None


def lease_renew(*, holder: str, name: str = NAME) -> bool:
    """Extend the lease; False when it is no longer this holder's."""
    updated = SyncLease.objects.filter(name=name, holder=holder).update(
        expires_at=_expiry(timezone.now())
    )
    return bool(updated)


def lease_release(*, holder: str, name: str = NAME) -> None:
    SyncLease.objects.filter(name=name, holder=holder).update(holder="", run=None, expires_at=None)


def leases_renew(*, holder: str) -> set[str]:
    """Extend every lease this holder holds (a full cycle also holds the activities lease
    while its activity handlers run); the names of those still its."""
    leases = SyncLease.objects.filter(holder=holder)
    names = set(leases.values_list("name", flat=True))
    leases.update(expires_at=_expiry(timezone.now()))
    return names


class LeaseBusyError(Exception):
    """The lease stayed taken for as long as we could wait for it."""


def lease_wait(*, name: str, wait_seconds: float, holder: str | None = None, run=None) -> str:
    """Take the lease `name`, waiting up to `wait_seconds` for its holder to let go; the
    holder, or LeaseBusyError."""
    deadline = time.monotonic() + wait_seconds
    while (taken := lease_acquire(holder=holder, run=run, name=name)) is None:
        if time.monotonic() > deadline:
            raise LeaseBusyError(f"The {name} lease is taken.")
        time.sleep(POLL_SECONDS)
    return taken


@contextmanager
def lease_held(*, name: str, wait_seconds: float) -> Iterator[str]:
    """Hold the lease `name` for the block (see `lease_wait`); released afterwards."""
    holder = lease_wait(name=name, wait_seconds=wait_seconds)
    try:
        yield holder
    finally:
        lease_release(holder=holder, name=name)


def lease_current(*, name: str = NAME) -> SyncLease | None:
    """The lease row with its run, as it stands now."""
    return SyncLease.objects.select_related("run").filter(name=name).first()


JOIN_SECONDS = 5
POLL_SECONDS = 0.25


def _expiry(now):
    return now + timedelta(seconds=conf.get("SYNC_LEASE_SECONDS"))


class Heartbeat:
    """While the block runs, a background thread renews the holder's leases and the run's
    (or the sync preview's) heartbeat.

    A renewal that finds the lease taken by another run changes nothing; the cycle itself
    notices at its next step (`Cycle.advance` renews too) and stops. The thread uses its own
    database connection and closes it when it stops.
    """

    def __init__(self, *, run: SyncRun | SyncPreview, holder: str, name: str = NAME):
        self.run, self.holder, self.name = run, holder, name
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"sync-heartbeat-{run.pk}")
        self._thread.daemon = True

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        # Bounded: a beat waiting for a row this thread's open transaction holds would wait
        # for us forever. Left alone, it finishes (harmlessly) once that transaction ends.
        self._thread.join(timeout=JOIN_SECONDS)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(conf.get("SYNC_HEARTBEAT_SECONDS")):
                self.beat()
        finally:
            connection.close()

    def beat(self) -> None:
        """Renew once (every lease the holder holds); a failed renewal (e.g. the database
        busy) is retried next beat."""
        try:
            close_old_connections()
            if self.name in leases_renew(holder=self.holder):
                self.run.beat()
        except Exception:
            logger.exception("Sync heartbeat of run %s failed; retrying", self.run.pk)

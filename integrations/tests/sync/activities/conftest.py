"""Fixtures of the activity sync tests: task sync on, tracked records, the seeded users and
seats for them."""

import pytest

from integrations.emulator.records.org import INACTIVE_USER_ID, SALES_REP_IDS
from integrations.models import Seat
from integrations.services.seats import INACTIVE
from integrations.tests.factories import SeatFactory

SAM = "sam.seller@crmbridge-emulator.example"
IAN = "ian.inactive@crmbridge-emulator.example"
SAM_ID = SALES_REP_IDS[0]
IAN_ID = INACTIVE_USER_ID


@pytest.fixture
def task_settings(sync_settings):
    """Sync and task sync on, everything else as the defaults have it."""
    sync_settings.task_sync = True
    sync_settings.save()
    return sync_settings


@pytest.fixture
def tasks(emulator):
    """The emulated org's Tasks, newest last."""

    def read(**where):
        rows = emulator.store.all("Task")
        return [row for row in rows if all(row.get(k) == v for k, v in where.items())]

    return read


def seat_holder(email: str, **seat_fields):
    """The local user with `email`, holding a seat (created once; matched as the emulator's
    seeded users are: Ian's Salesforce user is inactive)."""
    seat = Seat.objects.filter(user__email=email).first()
    if seat is None:
        inactive = email == IAN
        seat = SeatFactory(
            user__email=email,
            salesforce_user_id={SAM: SAM_ID, IAN: IAN_ID}.get(email, ""),
            salesforce_active=not inactive,
            match_problem=INACTIVE if inactive else "",
            **seat_fields,
        )
    return seat.user

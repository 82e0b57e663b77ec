"""Fixtures of the activity sync tests: task sync on, tracked records, the seeded users."""

import pytest

from integrations.emulator.records.org import INACTIVE_USER_ID, SALES_REP_IDS

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

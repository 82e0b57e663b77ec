"""Each integration factory builds a valid, saved row."""

import pytest

from integrations.models import (
    Alert,
    ApiUsageHour,
    CrmDataPurge,
    DeleteBrake,
    PendingDeletion,
    QuarantinedRecord,
    Seat,
    SyncCursor,
    SyncLease,
    TriggerCondition,
    TriggerDelivery,
    WriteBackTest,
)
from integrations.tests.factories import (
    AlertFactory,
    ApiUsageHourFactory,
    CrmDataPurgeFactory,
    DeleteBrakeFactory,
    PendingDeletionFactory,
    QuarantinedRecordFactory,
    SeatFactory,
    SyncCursorFactory,
    SyncLeaseFactory,
    TriggerConditionFactory,
    TriggerDeliveryFactory,
    WriteBackTestFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory_class", "model"),
    [
        (AlertFactory, Alert),
        (SyncCursorFactory, SyncCursor),
        (SyncLeaseFactory, SyncLease),
        (ApiUsageHourFactory, ApiUsageHour),
        (WriteBackTestFactory, WriteBackTest),
        (CrmDataPurgeFactory, CrmDataPurge),
        (SeatFactory, Seat),
        (TriggerConditionFactory, TriggerCondition),
        (TriggerDeliveryFactory, TriggerDelivery),
        (DeleteBrakeFactory, DeleteBrake),
        (PendingDeletionFactory, PendingDeletion),
        (QuarantinedRecordFactory, QuarantinedRecord),
    ],
)
def test_factory_builds_valid_saved_rows(factory_class, model):
    # when: two rows, so unique fields must differ
    rows = [factory_class(), factory_class()]

    # then
    for row in rows:
        row.full_clean()
        assert model.objects.filter(pk=row.pk).exists()
    assert model.objects.count() == 2


def test_lease_factory_builds_a_free_lease():
    lease = SyncLeaseFactory()

    assert (lease.holder, lease.expires_at) == ("", None)
    assert str(lease).endswith(": free")


def test_usage_rows_are_distinct_whole_hours():
    rows = ApiUsageHourFactory.create_batch(2)

    assert all(row.hour.minute == row.hour.second == row.hour.microsecond == 0 for row in rows)
    assert rows[0].hour != rows[1].hour

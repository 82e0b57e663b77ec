"""The one-row models: load, lock, save and column updates all address the same row."""

import pytest
from django.db import transaction

from integrations.models import SalesforceConnection, SyncSettings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [SalesforceConnection, SyncSettings])
def test_load_creates_the_row_once(model):
    first = model.load()
    second = model.load()
    assert first.pk == second.pk
    assert model.objects.count() == 1


@pytest.mark.parametrize("model", [SalesforceConnection, SyncSettings])
def test_saving_a_new_instance_writes_the_one_row(model):
    model.load()
    model().save()
    assert model.objects.count() == 1


def test_locked_returns_the_row_inside_a_transaction():
    with transaction.atomic():
        settings = SyncSettings.locked()
        settings.sync_interval_minutes = 30
        settings.save()
    assert SyncSettings.load().sync_interval_minutes == 30


def test_update_row_writes_only_the_given_columns():
    # given: another worker holds the row with an unsaved change
    other = SyncSettings.load()
    other.sync_interval_minutes = 45
    # when
    SyncSettings.update_row(task_sync=True)
    # then
    stored = SyncSettings.load()
    assert (stored.task_sync, stored.sync_interval_minutes) == (True, 15)


def test_update_columns_sets_the_instance_too():
    settings = SyncSettings.load()
    settings.update_columns(account_sync=True)
    assert settings.account_sync is True
    assert SyncSettings.load().account_sync is True


def test_row_is_empty_before_first_use():
    assert SyncSettings.objects.row().first() is None

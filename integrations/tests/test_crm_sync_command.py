"""`crm_sync activate` and `crm_sync deactivate [--purge] [--yes]`: the command's contract."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from integrations.choices import PurgeStatus, RunStatus, RunTrigger
from integrations.models import CrmDataPurge, FieldMapping, Seat, SyncRun, SyncSettings
from integrations.sync.mapping_validation import default_mappings
from tracking.choices import Origin
from tracking.models import Contact
from tracking.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat():
    user = get_user_model().objects.create_user("sam", email="sam@example.com", password="pw")
    return Seat.objects.create(user=user, crm_sync=True)


@pytest.fixture
def records():
    """One imported contact, one created here (linked to a Lead)."""
    return {
        "imported": ContactFactory(origin=Origin.SALESFORCE, salesforce_id="003000000000001AAA"),
        "local": ContactFactory(origin=Origin.LOCAL, salesforce_id="00Q000000000001AAA"),
    }


def run_command(*args, stdin: str | None = None, monkeypatch=None) -> str:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("crm_sync", *args, stdout=out)
    return out.getvalue()


def test_activate_without_a_connection_fails_with_the_hint():
    with pytest.raises(CommandError, match="not connected.*\n.*Hint: Connect your org"):
        call_command("crm_sync", "activate")

    assert not SyncSettings.load().sync_enabled


def test_activate_switches_the_sync_on_and_runs_the_first_import(connection, emulator, seat):
    # given
    for mapping in default_mappings():
        FieldMapping.objects.get_or_create(
            salesforce_object=mapping["salesforce_object"],
            salesforce_field=mapping["salesforce_field"],
            defaults={"local_field": mapping["local_field"], "rule": mapping["rule"]},
        )
    emulator.store.insert("Lead", {"LastName": "Lane", "Company": "Acme", "Email": "l@x.example"})

    # when
    output = run_command("activate")

    # then
    run = SyncRun.objects.get()
    assert (run.trigger, run.status) == (RunTrigger.COMMAND, RunStatus.SUCCEEDED)
    assert "CRM sync is on for 1 of 1 seat holders." in output
    assert f"First import: sync run {run.pk}, Succeeded" in output
    assert Contact.objects.filter(email="l@x.example", origin=Origin.SALESFORCE).exists()


def test_deactivate_turns_every_seat_off_and_deletes_nothing(seat, records):
    SyncSettings.load().update_columns(sync_enabled=True)

    output = run_command("deactivate")

    seat.refresh_from_db()
    assert not seat.crm_sync
    assert not SyncSettings.load().sync_enabled
    assert "CRM sync is off for all 1 seats" in output
    assert Contact.objects.count() == 2
    assert not CrmDataPurge.objects.exists()


def test_deactivate_purge_yes_purges_here_printing_progress(seat, records):
    output = run_command("deactivate", "--purge", "--yes")

    assert "contacts                 1         1" in output
    assert "Delete all previously imported CRM data?" not in output
    assert "100% 2 of 2 · Unlinking contacts created here" in output
    assert "contacts deleted 1, unlinked 1" in output
    assert list(Contact.objects.values_list("pk", "salesforce_id")) == [(records["local"].pk, "")]
    assert CrmDataPurge.objects.get().status == PurgeStatus.SUCCEEDED


@pytest.mark.parametrize("answer", ["y\n", "yes\n", "Y\n"])
def test_deactivate_purge_asks_and_purges_on_yes(seat, records, monkeypatch, answer):
    output = run_command("deactivate", "--purge", stdin=answer, monkeypatch=monkeypatch)

    assert "contacts                 1         1" in output
    assert "Delete all previously imported CRM data? [y/N]" in output
    assert not Contact.objects.filter(pk=records["imported"].pk).exists()


@pytest.mark.parametrize("answer", ["n\n", "no\n", "\n", "whatever\n", ""], ids=repr)
def test_deactivate_purge_aborts_on_no_or_end_of_input_changing_nothing(
    seat, records, monkeypatch, answer
):
    # given
    SyncSettings.load().update_columns(sync_enabled=True)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    out = io.StringIO()

    # when
    with pytest.raises(CommandError, match="Aborted: nothing was changed") as raised:
        call_command("crm_sync", "deactivate", "--purge", stdout=out)

    # then: exit status 1, counts shown, nothing changed
    assert raised.value.returncode == 1
    assert "Delete all previously imported CRM data? [y/N]" in out.getvalue()
    assert SyncSettings.load().sync_enabled
    seat.refresh_from_db()
    assert seat.crm_sync
    assert Contact.objects.count() == 2
    assert Contact.objects.get(pk=records["local"].pk).salesforce_id
    assert not CrmDataPurge.objects.exists()

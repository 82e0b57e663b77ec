"""`python manage.py seats`: import-users, assign, revoke, sync on|off, list [--json], and
errors that exit non-zero with the reason."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integrations.emulator.records.org import INACTIVE_USER_ID, SALES_REP_IDS
from integrations.models import Seat, SyncSettings

pytestmark = pytest.mark.django_db

SAM = "sam.seller@crmbridge-emulator.example"
RITA = "rita.rep@crmbridge-emulator.example"
IAN = "ian.inactive@crmbridge-emulator.example"


def seats(*args) -> str:
    out = StringIO()
    call_command("seats", *args, stdout=out)
    return out.getvalue()


def settings(**fields):
    row = SyncSettings.load()
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def test_import_users_prints_the_active_users_with_their_match_state(connection):
    seats("assign", SAM)

    out = seats("import-users")

    lines = {line.split()[0]: line for line in out.splitlines() if "@" in line}
    assert set(lines) == {SAM, RITA, "mia.manager@crmbridge-emulator.example"}
    assert lines[SAM].endswith("has a seat (Member)")
    assert lines[RITA].endswith("no local user yet")
    assert "1 seat used (no licence limit)." in out


def test_assign_prints_the_match_and_the_licence_usage(connection):
    settings(seat_limit=3)

    matched = seats("assign", SAM, "--role", "admin")
    inactive = seats("assign", IAN)

    assert matched == (
        f"Seat of {SAM} (Admin), matched to Salesforce user {SALES_REP_IDS[0]}. "
        "1 of 3 seats used.\n"
    )
    assert "not matched: the Salesforce user with this email is inactive. 2 of 3" in inactive


def test_list_json_has_one_object_per_seat(connection):
    settings(auto_sync_seat_holders=False)
    seats("assign", SAM)
    seats("assign", IAN, "--role", "admin_member")
    seats("sync", "off", IAN)

    listed = json.loads(seats("list", "--json"))

    assert listed == [
        {"email": IAN, "role": "admin_member", "crm_sync": False,
         "salesforce_user_id": INACTIVE_USER_ID, "matched": False},
        {"email": SAM, "role": "member", "crm_sync": True,
         "salesforce_user_id": SALES_REP_IDS[0], "matched": True},
    ]  # fmt: skip


def test_list_as_text_says_why_a_seat_is_not_matched(connection):
    seats("assign", "new.hire@example.com")

    out = seats("list")

    assert "not matched: no Salesforce user has this email" in out
    assert "Auto-sync is on: every seat syncs" in out


def test_sync_on_and_off_switch_the_seat_and_name_the_auto_sync_override(connection):
    seats("assign", SAM)

    off = seats("sync", "off", SAM)
    assert Seat.objects.get().crm_sync is False
    assert "Auto-sync is on" in off
    settings(auto_sync_seat_holders=False)
    on = seats("sync", "on", SAM)

    assert Seat.objects.get().crm_sync is True
    assert on == f"CRM sync on for {SAM}.\n"


def test_revoke_takes_the_seat(connection):
    seats("assign", SAM)

    assert seats("revoke", SAM) == f"Revoked the seat of {SAM}. 0 seats used (no licence limit).\n"
    assert not Seat.objects.exists()


@pytest.mark.parametrize(
    ("args", "reason"),
    [(("revoke", "nobody@example.com"), "No seat is assigned to nobody@example.com."),
     (("sync", "on", "nobody@example.com"), "No seat is assigned to nobody@example.com."),
     (("assign", "not-an-email"), "'not-an-email' is not an email address.")],
)  # fmt: skip
def test_unknown_seats_and_bad_emails_exit_non_zero_with_the_reason(db, args, reason):
    with pytest.raises(CommandError, match=reason) as raised:
        seats(*args)

    assert raised.value.returncode == 1


def test_the_licence_limit_exits_non_zero_with_the_usage(connection):
    settings(seat_limit=1)
    seats("assign", SAM)

    with pytest.raises(CommandError, match="No licence left: 1 of 1 seats are used"):
        seats("assign", RITA)


@pytest.mark.parametrize("args", [("import-users",), ("assign", SAM)])
def test_without_a_connection_it_exits_non_zero_with_the_hint(db, args):
    with pytest.raises(CommandError) as raised:
        seats(*args)

    assert "No Salesforce org is connected." in str(raised.value)
    assert "Hint: No Salesforce org is connected. Connect one on the connection page." in str(
        raised.value
    )


def test_a_role_that_does_not_exist_is_refused_by_the_parser(db):
    with pytest.raises(CommandError, match="invalid choice: 'owner'"):
        seats("assign", SAM, "--role", "owner")


def test_import_users_lists_every_user_past_one_page(connection, emulator, monkeypatch):
    from integrations.services import seats

    monkeypatch.setattr(seats, "MAX_PER_PAGE", 2)  # pages of two: several of them
    out = StringIO()

    call_command("seats", "import-users", stdout=out)

    listed = [line for line in out.getvalue().splitlines() if "@crmbridge-emulator" in line]
    assert len(listed) == 3  # Sam, Rita and Mia: active standard users but the integration user

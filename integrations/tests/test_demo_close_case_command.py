"""`manage.py demo_close_case`: closes an open Case of the connected org through the API."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(connection, emulator):
    contact_id = emulator.store.insert("Contact", {"LastName": "Kundin", "Email": "k@example.com"})
    return [emulator.store.insert("Case", {"Subject": subject, "ContactId": contact_id})
            for subject in ("First", "Second")]  # fmt: skip


def test_it_closes_the_oldest_open_case(cases, emulator, capsys):
    call_command("demo_close_case")
    first = emulator.store.get("Case", cases[0])
    assert first["Status"] == "Closed"
    assert emulator.store.get("Case", cases[1])["Status"] == "New"
    assert f"Closed Case {first['CaseNumber']}" in capsys.readouterr().out


def test_it_closes_the_case_with_the_given_number(cases, emulator):
    number = emulator.store.get("Case", cases[1])["CaseNumber"]
    call_command("demo_close_case", number)
    assert emulator.store.get("Case", cases[1])["IsClosed"] is True
    assert emulator.store.get("Case", cases[0])["IsClosed"] is False


def test_a_closed_or_unknown_case_is_a_clear_error(cases, emulator):
    number = emulator.store.get("Case", cases[0])["CaseNumber"]
    call_command("demo_close_case", number)
    with pytest.raises(CommandError, match=f"Case {number} is not an open Case"):
        call_command("demo_close_case", number)
    call_command("demo_close_case")
    with pytest.raises(CommandError, match="No open Case"):
        call_command("demo_close_case")

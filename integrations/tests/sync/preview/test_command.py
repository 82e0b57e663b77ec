"""`salesforce_sync --dry-run [--csv FILE]`: the preview in the foreground, with a progress
line and the per-object summary; nothing written."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from integrations.models import SalesforceConnection, SyncRun
from tracking.models import Contact

pytestmark = pytest.mark.django_db


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("salesforce_sync", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_what_the_cycle_would_do_and_writes_nothing(
    sync_settings, emulator, make_contact, tmp_path
):
    sync_settings.sync_enabled = False  # the master switch is off: the preview runs anyway
    sync_settings.save()
    make_contact("ada@example.com")
    make_contact("grace@example.com")
    target = tmp_path / "preview.csv"
    output = run_command("--dry-run", "--csv", str(target))
    assert "\r" not in output  # not a terminal: no progress line
    assert "nothing was written" in output
    header, lead = (line for line in output.splitlines() if line.startswith(("object", "Lead")))
    assert header.split() == ["object", "created", "updated", "matched", "deleted", "skipped",
                              "rejected"]  # fmt: skip
    assert lead.split() == ["Lead", "2", "0", "0", "0", "0", "0"]
    assert "API calls used (reads only):" in output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert sorted(row["record"] for row in rows) == [
        "Ada <ada@example.com>", "Grace <grace@example.com>"
    ]  # fmt: skip
    assert emulator.store.count("Lead") == 0
    assert not Contact.objects.exclude(salesforce_id="").exists()
    assert not SyncRun.objects.exists()


def test_dry_run_says_why_it_could_not_preview(sync_settings, emulator):
    SalesforceConnection.load().pause(until=timezone.now() + timedelta(hours=1),
                                      code="REQUEST_LIMIT_EXCEEDED", message="Limit reached.",
                                      hint="Wait for the limit.")  # fmt: skip
    with pytest.raises(CommandError, match="paused connection makes no calls"):
        run_command("--dry-run")


def test_csv_needs_dry_run(sync_settings):
    with pytest.raises(CommandError, match="--csv goes with --dry-run"):
        run_command("--csv", "x.csv")


def test_dry_run_shows_the_progress_line_on_a_terminal(sync_settings, emulator, make_contact):
    make_contact("ada@example.com")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    call_command("salesforce_sync", "--dry-run", stdout=out)
    assert "\rSending contacts to Salesforce" in out.getvalue()

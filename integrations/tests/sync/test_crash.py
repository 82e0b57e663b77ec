"""A sync process killed mid-cycle: the next run takes over once the dead run's short lease
has run out, and finishes the work with nothing lost and nothing written twice.

Real processes (`manage.py salesforce_sync`) share one SQLite file and the emulator; the
first is SIGKILLed while Salesforce has committed its first batch of Leads but not yet
answered, so the crash leaves the worst state: records in Salesforce not linked here.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
CONTACTS = 20
SETUP = """
from django.utils import timezone
from integrations.emulator.connect import emulator_connect
from integrations.models import SyncSettings
from tracking.models import Contact

emulator_connect(url={url!r})
sync = SyncSettings.load()
sync.sync_enabled = True
sync.save()
for index in range({contacts}):
    Contact.objects.create(email=f"crash{{index}}@example.com", last_name=f"Crash {{index}}",
                           local_modified_at=timezone.now())
"""


@pytest.fixture
def processes(tmp_path, emulator):
    """Runs manage.py commands in fresh processes against a database file of their own."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'crash.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "integrations.tests.sync.crash_settings",
        "REQUESTS_CA_BUNDLE": emulator.ca_file,
        "SALESFORCE_CA_BUNDLE": emulator.ca_file,  # over a demo checkout's .env
    }
    env.pop("REDIS_URL", None)

    def command(*args, check=True):
        done = subprocess.run([sys.executable, MANAGE, *args], env=env, capture_output=True,
                              text=True, timeout=60, cwd=settings.BASE_DIR)  # fmt: skip
        assert not check or done.returncode == 0, done.stderr
        return done

    command.env = env
    command.db = tmp_path / "crash.sqlite3"
    return command


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def _wait_for(condition, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_run_is_taken_over_and_its_work_finished_once(processes, emulator):
    # given: a database with 20 contacts to send, connected to the emulated org
    processes("migrate", "--no-input", "-v", "0")
    processes("shell", "-c", SETUP.format(url=emulator.url, contacts=CONTACTS))
    emulator.faults.inject("delay_after_apply", path_contains="composite/sobjects", seconds=30)
    # when: the first run is killed once Salesforce has committed its first batch
    first = subprocess.Popen([sys.executable, MANAGE, "salesforce_sync"], env=processes.env,
                             cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        _wait_for(lambda: emulator.store.count("Lead") >= 5, timeout=30)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    killed_at = time.monotonic()
    # then: it left a "running" row, and Leads in Salesforce that are not linked here
    assert _rows(processes.db, "SELECT status FROM integrations_syncrun") == [("running",)]
    linked = "SELECT COUNT(*) FROM tracking_contact WHERE salesforce_id != ''"
    assert _rows(processes.db, linked) == [(0,)]

    # when: a run right away finds the lease still held, and names its holder
    early = processes("salesforce_sync", check=False)
    # then
    assert early.returncode != 0
    assert "Another sync run is in progress: run 1" in early.stderr
    assert f"pid {first.pid}" in early.stderr

    # when: a run within the lease's few seconds later takes over
    time.sleep(max(0.0, 8.5 - (time.monotonic() - killed_at)))
    later = processes("salesforce_sync")
    # then: every contact in Salesforce exactly once, all linked, the dead run failed
    assert "Succeeded" in later.stdout, later.stdout
    assert emulator.store.count("Lead") == CONTACTS
    assert _rows(processes.db, linked) == [(CONTACTS,)]
    ids = _rows(processes.db, "SELECT COUNT(DISTINCT salesforce_id) FROM tracking_contact")
    assert ids == [(CONTACTS,)]
    runs = _rows(processes.db, "SELECT id, status, error FROM integrations_syncrun ORDER BY id")
    assert [status for _, status, _ in runs] == ["failed", "skipped", "succeeded"]
    assert "stopped" in runs[0][2]
    assert "run 3 took over" in runs[0][2]

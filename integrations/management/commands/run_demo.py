"""Run the whole product locally: the Salesforce emulator (seeded), a demo admin, the
connection to the emulator, the task cluster and the web server. Ctrl-C stops all of it.

Used by `make demo`; not for production (run `qcluster` and a WSGI server there).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import certifi
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from integrations.choices import RunTrigger
from integrations.emulator.connect import emulator_connect
from integrations.exceptions import SalesforceError
from integrations.services.connection import salesforce_client
from integrations.services.demo_activities import demo_activities_create
from integrations.services.demo_surveys import OUTBOUND_FIELDS, demo_survey_create
from integrations.services.settings import sync_settings_update
from integrations.services.sync import salesforce_sync_enqueue

DEMO_EMAIL = "admin@example.com"
CA_VARIABLE = "SALESFORCE_CA_BUNDLE"


def demo_trust_emulator(*, ca_file: Path, env_file: Path) -> Path:
    """Make the emulator's CA trusted for every command of this checkout: a bundle of the
    public CAs plus the emulator's, named as SALESFORCE_CA_BUNDLE in `.env` (settings make
    requests trust it, whatever REQUESTS_CA_BUNDLE the shell has), so `python manage.py …`
    reaches the emulator with nothing set by hand and still reaches real Salesforce.
    Returns the bundle; running it again replaces the setting."""
    bundle = ca_file.with_name("trust.pem")
    bundle.write_text(
        Path(certifi.where()).read_text().rstrip() + "\n" + ca_file.read_text().strip() + "\n"
    )
    base = Path(settings.BASE_DIR)
    value = bundle.relative_to(base) if bundle.is_relative_to(base) else bundle
    lines = env_file.read_text().splitlines() if env_file.exists() else []
    lines = [line for line in lines if not line.startswith(f"{CA_VARIABLE}=")]
    env_file.write_text("\n".join([*lines, f"{CA_VARIABLE}={value}"]) + "\n")
    return bundle


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run CRM Bridge with a local Salesforce emulator (make demo)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Web server port.")
        parser.add_argument("--emulator-port", type=int, default=8443, help="Emulator port.")

    def handle(self, *args, **options):
        for signum in (signal.SIGINT, signal.SIGTERM):  # also when started in the background
            signal.signal(signum, _interrupt)
        var = Path(settings.BASE_DIR) / "var"
        var.mkdir(exist_ok=True)
        emulator_url = f"https://127.0.0.1:{options['emulator_port']}"
        ca_file = var / "emulator" / "ca.pem"
        env = {**os.environ, "REQUESTS_CA_BUNDLE": str(ca_file)}
        # Survey links in the emailed invitations point at this server.
        env.setdefault("SITE_URL", f"http://127.0.0.1:{options['port']}")
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        processes = [
            subprocess.Popen(
                [
                    *manage,
                    "salesforce_emulator",
                    "--port",
                    str(options["emulator_port"]),
                    "--seed-sample-data",
                    "--state-file",
                    str(var / "emulator-state.json"),
                    "--cert-dir",
                    str(var / "emulator"),
                    "--admin-key-file",
                    str(var / "emulator-admin-key"),
                ],
                env=env,
            )
        ]
        try:
            self._wait_for(emulator_url, ca_file)
            bundle = demo_trust_emulator(ca_file=ca_file, env_file=Path(settings.BASE_DIR) / ".env")
            os.environ["REQUESTS_CA_BUNDLE"] = env["REQUESTS_CA_BUNDLE"] = str(bundle)
            self.stdout.write(f"The emulator's CA is trusted through {bundle} (in .env).")
            password = self._demo_admin()
            self._connect(emulator_url)
            self._start_syncing()
            self._start_surveys(emulator_url, var / "emulator-admin-key", options["port"])
            processes.append(subprocess.Popen([*manage, "qcluster"], env=env))
            processes.append(
                subprocess.Popen(
                    [*manage, "runserver", f"127.0.0.1:{options['port']}", "--noreload"], env=env
                )
            )
            self._announce(options["port"], password, emulator_url)
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
            raise CommandError("A demo process stopped; shutting the others down.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            for process in reversed(processes):
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _wait_for(self, url: str, ca_file: Path) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if ca_file.exists():
                try:
                    requests.get(f"{url}/services/data/", verify=str(ca_file), timeout=2)
                    return
                except requests.RequestException:
                    pass
            time.sleep(0.3)
        raise CommandError(f"The Salesforce emulator did not start at {url}.")

    def _demo_admin(self) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username="admin", defaults={"email": DEMO_EMAIL}
        )
        user.email, user.is_staff, user.is_superuser = DEMO_EMAIL, True, True
        user.set_password(password)
        user.save()
        return password

    def _connect(self, emulator_url: str) -> None:
        try:
            connection = emulator_connect(url=emulator_url)
        except SalesforceError as error:
            raise CommandError(f"Could not connect to the emulator: {error}") from error
        self.stdout.write(self.style.SUCCESS(str(connection)))

    def _start_syncing(self) -> None:
        """Switch the sync on (with accounts, opportunities, tasks and write-back), post some
        sample links, visits and activities, and queue a first run, so the demo's history
        pages, dashboard and unresolved report have something to show."""
        sync_settings_update(
            data={
                "sync_enabled": True,
                "account_sync": True,
                "opportunity_sync": True,
                "task_sync": True,
                "write_back": True,
            }  # fmt: skip
        )
        posted = demo_activities_create(client=salesforce_client())
        with transaction.atomic():
            run = salesforce_sync_enqueue(trigger=RunTrigger.MANUAL)
        self.stdout.write(
            f"Sync switched on; {posted} sample activity records posted; first run {run.pk} queued."
        )

    def _start_surveys(self, emulator_url: str, admin_key_file: Path, port: int) -> None:
        """Set up the survey sample (a survey on closed Cases, its trigger and response rule)
        and give the emulated org an Outbound Message rule posting closed Cases to the
        trigger's URL (rules live in the emulator's memory: registered on every start)."""
        trigger = demo_survey_create()
        hook = f"http://127.0.0.1:{port}" + reverse(
            "webhooks:salesforce-trigger", kwargs={"key": trigger.key}
        )
        response = requests.post(
            f"{emulator_url}/_emulator/outbound_messages",
            json={"object": "Case", "endpoint_url": hook, "fields": OUTBOUND_FIELDS},
            headers={"Authorization": f"Bearer {admin_key_file.read_text().strip()}"},
            timeout=10,
        )
        if response.status_code != 201:
            raise CommandError(f"Could not add the Outbound Message rule: {response.text}")
        self.stdout.write(
            f"Survey '{trigger.survey}' set up; closed Cases are sent to {hook}. "
            "Close one with `python manage.py demo_close_case [CASE_NUMBER]`."
        )

    def _announce(self, port: int, password: str, emulator_url: str) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                "\nCRM Bridge demo is running.\n"
                f"  Settings console: http://127.0.0.1:{port}/admin/\n"
                f"  Demo admin:       admin / {password}   (email {DEMO_EMAIL})\n"
                f"  Salesforce emulator: {emulator_url}\n"
                "  Surveys: python manage.py demo_close_case, then open the emailed link "
                "(in this log)\n"
                "Press Ctrl-C to stop everything.\n"
            )
        )

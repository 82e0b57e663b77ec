"""`manage.py salesforce_emulator`: run the local Salesforce emulator until Ctrl-C or SIGTERM.

Prints what the product's connection settings need (URL, CA file, credentials) and the admin
key of the emulator's control API. With --state-file the org's data is loaded at start and saved
on exit, so a demo keeps its data across restarts (use --cert-dir too, so the CA stays the same).
--admin-key-file writes the control API's admin key to a file (readable by its owner only), so
another process (`make demo`) can drive this emulator. --no-task-external-id serves an org
that has not created the CRMBridge_Id__c field on Activity, so Task writes cannot be upserts
there.
"""

import signal
import threading
from pathlib import Path

from django.core.management.base import BaseCommand

from integrations.emulator import Emulator


class Command(BaseCommand):
    help = "Run the local Salesforce emulator (HTTPS) until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, required=True, help="0 picks a free port")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--latency", type=float, default=0.0, help="milliseconds per call")
        parser.add_argument(
            "--seed-sample-data",
            action="store_true",
            help="create sample records (not when --state-file restores data)",
        )
        parser.add_argument("--state-file", type=Path, help="load at start, save on exit")
        parser.add_argument("--cert-dir", type=Path, help="keep the CA and certificate here")
        parser.add_argument("--admin-key-file", type=Path, help="write the admin key here")
        parser.add_argument("--state-country-picklists", action="store_true")
        parser.add_argument(
            "--no-task-external-id",
            action="store_true",
            help="leave out the CRMBridge_Id__c external-id field on Task",
        )

    def handle(self, *args, **options):
        emulator = Emulator(
            latency=options["latency"] / 1000,
            state_country_picklists=options["state_country_picklists"],
            task_external_id=not options["no_task_external_id"],
        )
        state_file = options["state_file"]
        restored = bool(state_file and state_file.exists())
        if restored:
            emulator.load_state(state_file)
        elif options["seed_sample_data"]:
            emulator.seed_sample_data()
        if options["admin_key_file"]:
            key_file = options["admin_key_file"]
            key_file.touch(mode=0o600)
            key_file.chmod(0o600)
            key_file.write_text(emulator.admin_key)
        emulator.start(host=options["host"], port=options["port"], cert_dir=options["cert_dir"])
        self._announce(emulator, state_file if restored else None)
        try:
            _wait_for_shutdown()
        finally:
            emulator.stop()
            if state_file:
                emulator.save_state(state_file)
                self.stdout.write(f"Saved the emulator's data to {state_file}")

    def _announce(self, emulator: Emulator, restored_from: Path | None) -> None:
        credentials = emulator.credentials
        lines = [
            f"Salesforce emulator listening on {emulator.url} (login URL = instance URL)",
            f"  CA file (REQUESTS_CA_BUNDLE): {emulator.ca_file}",
            f"  username:        {credentials.username}",
            f"  password:        {credentials.password}",
            f"  security token:  {credentials.security_token}",
            f"  client id:       {credentials.client_id}",
            f"  client secret:   {credentials.client_secret}",
            f"  client-credentials app: {credentials.cc_client_id} / "
            f"{credentials.cc_client_secret}",
            f"  org id: {emulator.org_id}  integration user id: {emulator.integration_user_id}",
            f"  admin key (/_emulator/ control API): {emulator.admin_key}",
        ]
        if restored_from:
            lines.append(f"  data restored from {restored_from}")
        self.stdout.write("\n".join(lines))
        self.stdout.write("Press Ctrl-C to stop.")


def _wait_for_shutdown() -> None:
    """Block until SIGINT or SIGTERM."""
    stopping = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stopping.set())
    while not stopping.wait(timeout=1):
        pass

"""`make bench`: the sync's speed against the emulator with Salesforce-like latency.

Runs against its own SQLite file (the Makefile points DATABASE_URL there) and its own
emulator process, so it never touches real data. Measures, per scenario: wall time, records
per second, Salesforce API calls (counted by the emulator) per 1,000 records, and the peak
memory of this process; the 100,000-contact cycle is previewed first (`bench.preview`;
`--preview-only` runs just that pair). Then the activities: visits of known contacts pushed,
the visit → Task latency with the task cluster and the web server running, and the Task
writes that progress posts of active visits cause (`integrations.bench`). Last the webhooks
behind gunicorn: latency percentiles at a fixed request rate (`--webhooks-only` runs just
these).
"""

from __future__ import annotations

import logging
import os
import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from integrations.bench.activities import activities_prepare, visits_pushed
from integrations.bench.activities_live import LiveProduct, progress_posts, visit_to_task_latency
from integrations.bench.preview import preview_then_cycle
from integrations.bench.processes import EmulatorProcess
from integrations.bench.webhooks import webhook_scenarios
from integrations.choices import RunStatus, RunTrigger
from integrations.emulator.connect import emulator_connect
from integrations.models import SyncCursor
from integrations.services.settings import sync_settings_update
from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from tracking.models import Contact, SyncEvent

VISITS = 1_000
LATENCY_VISITS = 50
PROGRESS_VISITS, PROGRESS_POSTS, PROGRESS_CLIENTS = 100, 10, 4


def _peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark the sync against the local emulator (API calls, records/s, memory)."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=10_000)
        parser.add_argument("--memory-records", type=int, default=100_000)
        parser.add_argument("--latency", type=int, default=50, help="ms per API call")
        parser.add_argument(
            "--webhooks-only", action="store_true", help="Only the webhook scenarios."
        )
        parser.add_argument(
            "--preview-only",
            action="store_true",
            help="Only the preview of --memory-records contacts and the cycle after it.",
        )

    def handle(self, *args, **options):
        if not settings.DATABASES["default"]["NAME"].endswith("bench.sqlite3"):
            raise CommandError("Run it with `make bench`: it needs its own database.")
        if options["preview_only"]:
            return self._preview_only(options)
        if not options["webhooks_only"]:
            self._sync_and_activities(options)
        self._report_webhooks(webhook_scenarios())

    def _preview_only(self, options) -> None:
        emulator = EmulatorProcess(options["latency"])
        try:
            self._connect(emulator)
            self._fresh(emulator)
            _make_contacts(options["memory_records"])
            rows = self._previewed(emulator, options["memory_records"])
        finally:
            emulator.stop()
        self._report(rows, options)

    def _sync_and_activities(self, options) -> None:
        emulator = EmulatorProcess(options["latency"])
        try:
            self._connect(emulator)
            rows = self._scenarios(emulator, options["records"], options["memory_records"])
            activity_rows = self._activity_scenarios(emulator)
        finally:
            emulator.stop()
        self._report(rows, options)
        self._report_activities(activity_rows)

    def _connect(self, emulator: EmulatorProcess) -> None:
        emulator_connect(url=emulator.url)
        sync_settings_update(data={"sync_enabled": True})

    def _scenarios(
        self, emulator: EmulatorProcess, records: int, memory_records: int
    ) -> list[dict]:
        rows = []
        self._fresh(emulator)
        _make_contacts(records)
        rows.append(self._measure(emulator, "Initial outbound (Bulk API 2.0 path)", records))
        rows.append(self._measure(emulator, "Re-sync, nothing changed", 0))
        rows.append(self._unchanged_with_every_object(emulator, records))
        emulator.control("POST", "seed", accounts=0, contacts=0, leads=records, opportunities=0)
        rows.append(self._measure(emulator, "Inbound: new/changed Salesforce Leads", records))
        self._fresh(emulator)
        _make_contacts(records)
        settings.SALESFORCE_BULK_THRESHOLD = 10**9
        rows.append(self._measure(emulator, "Initial outbound (collections path)", records))
        del settings.SALESFORCE_BULK_THRESHOLD
        self._fresh(emulator)
        _make_contacts(memory_records)
        rows += self._previewed(emulator, memory_records)
        return rows

    def _previewed(self, emulator: EmulatorProcess, records: int) -> list[dict]:
        """The initial outbound of `records` contacts, previewed before it runs."""
        rows = preview_then_cycle(emulator, records=records, peak_memory_mb=_peak_memory_mb)
        for row in rows:
            self.stdout.write(f"{row['name']}: {records} records, {row['calls']} calls, "
                              f"{row['seconds']:.1f}s")  # fmt: skip
        return list(rows)

    def _activity_scenarios(self, emulator: EmulatorProcess) -> list[dict]:
        logging.getLogger("django-q").setLevel(logging.WARNING)  # a line per enqueued push
        contacts = activities_prepare(emulator, contacts=VISITS)
        rows = [self._shown(visits_pushed(emulator, contacts=contacts))]
        with LiveProduct(emulator) as product:
            rows.append(
                self._shown(visit_to_task_latency(product, contacts=contacts[:LATENCY_VISITS]))
            )
            rows.append(self._shown(progress_posts(
                product, contacts=contacts[:PROGRESS_VISITS], posts=PROGRESS_POSTS,
                clients=PROGRESS_CLIENTS,
            )))  # fmt: skip
        return rows

    def _shown(self, row: dict) -> dict:
        self.stdout.write(
            f"{row['name']}: {row['records']} records, {row['calls']} calls, "
            f"{row['seconds']:.1f}s; {row['result']}"
        )
        return row

    def _unchanged_with_every_object(self, emulator: EmulatorProcess, records: int) -> dict:
        """Accounts and opportunities on, all read once: a cycle then costs one query per
        object (contact roles are read only for opportunities that changed)."""
        count = max(records // 10, 1)
        emulator.control("POST", "seed", accounts=count, contacts=0, leads=0, opportunities=count)
        sync_settings_update(data={"account_sync": True, "opportunity_sync": True})
        salesforce_sync_run(run=salesforce_sync_create(trigger=RunTrigger.COMMAND))
        row = self._measure(emulator, "Re-sync, nothing changed (accounts, opportunities on)", 0)
        sync_settings_update(data={"account_sync": False, "opportunity_sync": False})
        return row

    def _fresh(self, emulator: EmulatorProcess) -> None:
        emulator.control("POST", "reset")
        Contact.objects.all().delete()
        SyncEvent.objects.all().delete()
        SyncCursor.objects.all().delete()

    def _measure(self, emulator: EmulatorProcess, name: str, records: int) -> dict:
        before = emulator.api_calls()
        started = time.perf_counter()
        run = salesforce_sync_run(run=salesforce_sync_create(trigger=RunTrigger.COMMAND))
        seconds = time.perf_counter() - started
        calls = emulator.api_calls() - before
        if run.status not in (RunStatus.SUCCEEDED, RunStatus.PARTIAL):
            raise CommandError(f"{name}: the run {run.status}: {run.error}")
        self.stdout.write(f"{name}: {records} records, {calls} calls, {seconds:.1f}s")
        return {
            "name": name, "records": records, "calls": calls, "seconds": seconds,
            "per_1000": 1000 * calls / records if records else None,
            "per_second": records / seconds if records else None,
            "memory": _peak_memory_mb(), "counts": run.counts,
        }  # fmt: skip

    def _report(self, rows: list[dict], options) -> None:
        self.stdout.write(
            f"\nEmulator latency {options['latency']} ms per API call; "
            f"{os.cpu_count()} cores; {timezone.now():%Y-%m-%d}.\n"
        )
        self.stdout.write(
            "| scenario | records | API calls | calls / 1,000 records | records / s | "
            "wall time | peak memory |"
        )
        self.stdout.write("|---|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            per_1000 = f"{row['per_1000']:.2f}" if row["per_1000"] is not None else "—"
            per_second = f"{row['per_second']:,.0f}" if row["per_second"] is not None else "—"
            self.stdout.write(
                f"| {row['name']} | {row['records']:,} | {row['calls']} | {per_1000} | "
                f"{per_second} | {row['seconds']:.1f} s | {row['memory']:.0f} MB |"
            )

    def _report_activities(self, rows: list[dict]) -> None:
        self.stdout.write("\nActivities (task sync on):\n")
        self.stdout.write(
            "| scenario | records | API calls | calls / 1,000 records | records / s | "
            "wall time | result |"
        )
        self.stdout.write("|---|---:|---:|---:|---:|---:|---|")
        for row in rows:
            self.stdout.write(
                f"| {row['name']} | {row['records']:,} | {row['calls']} | "
                f"{row['per_1000']:.2f} | {row['per_second']:,.0f} | {row['seconds']:.1f} s | "
                f"{row['result']} |"
            )

    def _report_webhooks(self, rows: list[dict]) -> None:
        when = f"{os.cpu_count()} cores, open loop; {timezone.now():%Y-%m-%d}"
        self.stdout.write(f"\nWebhooks (gunicorn, {when}):\n")
        self.stdout.write(
            "| scenario | rate | duration | p50 | p95 | p99 | answers / s | statuses |"
        )
        self.stdout.write("|---|---:|---:|---:|---:|---:|---:|---|")
        for row in rows:
            load = row.get("load")
            if load is None:
                self.stdout.write(f"| {row['name']} | {row['result']} |||||||")
                continue
            statuses = ", ".join(
                f"{key}: {count:,}" for key, count in sorted(load.statuses.items())
            )
            self.stdout.write(
                f"| {row['name']} | {row['rate']}/s | {row['seconds']:.0f} s | "
                f"{load.percentile(0.5):.1f} ms | {load.percentile(0.95):.1f} ms | "
                f"{load.percentile(0.99):.1f} ms | {load.achieved_rate:,.0f} | {statuses} |"
            )


def _make_contacts(count: int) -> None:
    now = timezone.now()
    Contact.objects.bulk_create(
        (
            Contact(
                email=f"bench{index}@example.com", first_name="Bench", last_name=f"Person {index}",
                company=f"Company {index % 500}", title="Buyer", local_modified_at=now,
            )
            for index in range(count)
        ),
        batch_size=2_000,
    )  # fmt: skip

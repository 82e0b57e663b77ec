"""Run one full sync cycle now, through the same code as the scheduled task; or preview one.

Exits 0 when the cycle ran (single records may have failed: they are in the history), and
non-zero with the reason when it could not run (not connected, sync off, limit reached).

`--dry-run` previews the cycle instead (the same matching and planning, nothing written on
either side, the master switch on or off), with a progress line on a terminal, and prints
what it would do per object; `--csv FILE` also writes every planned item to FILE.
"""

from django.core.management.base import BaseCommand, CommandError

from integrations.choices import RunStatus, RunTrigger
from integrations.models import SyncPreview
from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from integrations.services.sync_preview import sync_preview_csv, sync_preview_run
from integrations.sync.recorder import COUNT_NAMES

PREVIEW_COLUMNS = {name: "rejected" if name == "errors" else name for name in COUNT_NAMES}


class Command(BaseCommand):
    help = "Run one Salesforce sync cycle now and print a summary (or preview it: --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Preview the cycle: read Salesforce, write nothing on either side, and print "
            "what it would do per object.",
        )
        parser.add_argument(
            "--csv", metavar="FILE", help="With --dry-run: write every planned item to FILE."
        )

    def handle(self, *args, **options):
        if options["dry_run"]:
            return self._preview(options["csv"])
        if options["csv"]:
            raise CommandError("--csv goes with --dry-run.")
        run = salesforce_sync_run(run=salesforce_sync_create(trigger=RunTrigger.COMMAND))
        if run.status in (RunStatus.SKIPPED, RunStatus.FAILED):
            raise CommandError(f"{run.error}\nHint: {run.hint}")
        self.stdout.write(f"Sync run {run.pk}: {run.get_status_display()} in {run.duration}")
        self._table(run.counts, COUNT_NAMES)
        self.stdout.write(f"API calls used: {run.api_calls}")

    def _preview(self, csv_path: str | None) -> None:
        live = self.stdout.isatty()  # the progress line rewrites itself only on a terminal
        preview = sync_preview_run(
            preview=SyncPreview.objects.create(), on_progress=self._line if live else None
        )
        if live:
            self.stdout.write("")
        if preview.status in (RunStatus.SKIPPED, RunStatus.FAILED):
            raise CommandError(f"{preview.error}\nHint: {preview.hint}")
        self.stdout.write(f"Sync preview {preview.pk}: nothing was written. Would do:")
        self._table(preview.counts, COUNT_NAMES, labels=PREVIEW_COLUMNS)
        for name, reasons in sorted(preview.skip_reasons.items()):
            for reason, amount in reasons.items():
                self.stdout.write(f"  {name}: {amount} skipped: {reason}")
        self.stdout.write(f"API calls used (reads only): {preview.api_calls}")
        if csv_path:
            with open(csv_path, "w", newline="", encoding="utf-8") as out:
                sync_preview_csv(preview=preview, out=out)
            self.stdout.write(f"Every planned item: {csv_path}")

    def _line(self, preview: SyncPreview) -> None:
        done = f" {preview.done}/{preview.total}" if preview.total else ""
        self.stdout.write(f"\r{preview.phase[:60]:<60}{done:>16}", ending="")
        self.stdout.flush()

    def _table(self, counts: dict, columns, *, labels: dict | None = None) -> None:
        labels = labels or {name: name for name in columns}
        self.stdout.write(f"{'object':<14}" + "".join(f"{labels[name]:>9}" for name in columns))
        for name, row in sorted(counts.items()):
            cells = "".join(f"{row.get(column, 0):>9}" for column in columns)
            self.stdout.write(f"{name:<14}{cells}")

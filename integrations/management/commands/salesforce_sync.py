"""Run one full sync cycle now, through the same code as the scheduled task.

Exits 0 when the cycle ran (single records may have failed: they are in the history), and
non-zero with the reason when it could not run (not connected, sync off, limit reached).
"""

from django.core.management.base import BaseCommand, CommandError

from integrations.choices import RunStatus, RunTrigger
from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from integrations.sync.recorder import COUNT_NAMES


class Command(BaseCommand):
    help = "Run one Salesforce sync cycle now and print a summary."

    def handle(self, *args, **options):
        run = salesforce_sync_run(run=salesforce_sync_create(trigger=RunTrigger.COMMAND))
        if run.status in (RunStatus.SKIPPED, RunStatus.FAILED):
            raise CommandError(f"{run.error}\nHint: {run.hint}")
        self.stdout.write(f"Sync run {run.pk}: {run.get_status_display()} in {run.duration}")
        self.stdout.write(f"{'object':<14}" + "".join(f"{name:>9}" for name in COUNT_NAMES))
        for name, counts in sorted(run.counts.items()):
            cells = "".join(f"{counts.get(column, 0):>9}" for column in COUNT_NAMES)
            self.stdout.write(f"{name:<14}{cells}")
        self.stdout.write(f"API calls used: {run.api_calls}")

"""Group activation and deactivation of CRM sync, for scripts.

    python manage.py crm_sync activate
    python manage.py crm_sync deactivate [--purge] [--yes]

`activate` needs a connected org; it switches the sync on and runs the first import here
(one sync cycle, with its summary). `deactivate` turns CRM sync off for every seat and stops
the sync. With `--purge` it also deletes every local record imported from Salesforce and
unlinks the records created here: it prints what will be deleted and kept and asks (y/N;
anything else or end of input aborts with nothing changed) unless `--yes` is given, then
purges here, printing its progress. Errors exit non-zero with the reason and a hint.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from integrations.choices import PurgeStatus, RunStatus
from integrations.exceptions import CrmActivationError
from integrations.services.crm_activation import (
    NO_SEAT_HOLDERS_HINT,
    crm_sync_activate,
    crm_sync_deactivate,
    purge_counts,
)
from integrations.services.crm_purge import crm_data_purge_run

# A purge from the command waits this long for a running sync run to let its lease go.
LEASE_WAIT_SECONDS = 600


class Command(BaseCommand):
    help = "Activate or deactivate CRM sync for all seat holders (optionally purging CRM data)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("activate", help="Switch CRM sync on and run the first import.")
        deactivate = actions.add_parser(
            "deactivate", help="Switch CRM sync off for every seat and stop the sync."
        )
        deactivate.add_argument(
            "--purge",
            action="store_true",
            help="Also delete all previously imported CRM data (records created here are kept).",
        )
        deactivate.add_argument(
            "--yes", action="store_true", help="Purge without asking for confirmation."
        )

    def handle(self, *args, **options):
        if options["action"] == "activate":
            self._activate()
        else:
            self._deactivate(purge=options["purge"], confirmed=options["yes"])

    def _activate(self) -> None:
        try:
            activation = crm_sync_activate(background=False)
        except CrmActivationError as error:
            raise CommandError(f"{error}\nHint: {error.hint}") from error
        run = activation.run
        self.stdout.write(
            f"CRM sync is on for {activation.seat_holders} of {activation.seats} seat holders."
        )
        if not activation.seat_holders:
            self.stderr.write(NO_SEAT_HOLDERS_HINT)
        if run.status in (RunStatus.SKIPPED, RunStatus.FAILED):
            raise CommandError(f"The first import (sync run {run.pk}) failed: {run.error}\n"
                               f"Hint: {run.hint}")  # fmt: skip
        self.stdout.write(
            f"First import: sync run {run.pk}, {run.get_status_display()} in {run.duration}."
        )

    def _deactivate(self, *, purge: bool, confirmed: bool) -> None:
        if purge:
            self._print_counts()
            if not confirmed and not self._ask():
                raise CommandError("Aborted: nothing was changed.")
        deactivation = crm_sync_deactivate(purge=purge, background=False)
        self.stdout.write(
            f"CRM sync is off for all {deactivation.seats} seats, and the sync is stopped."
        )
        if deactivation.purge is None:
            return
        purge = crm_data_purge_run(
            purge=deactivation.purge, wait_seconds=LEASE_WAIT_SECONDS, on_progress=self._progress
        )
        if purge.status != PurgeStatus.SUCCEEDED:
            raise CommandError(
                f"{purge}: a sync run is still in progress. Sync is off now: run this command "
                "again once it has finished (see Sync runs)."
            )
        self.stdout.write(self.style.SUCCESS(f"{purge}: {self._done(purge.counts)}."))

    def _print_counts(self) -> None:
        self.stdout.write(f"{'records':<16}{'delete':>10}{'keep':>10}")
        for count in purge_counts():
            self.stdout.write(f"{count.kind:<16}{count.delete:>10}{count.keep:>10}")
        self.stdout.write(
            "Imported records are deleted with their sync history; records created here are "
            "kept, without their Salesforce ids and sync state."
        )

    def _ask(self) -> bool:
        self.stdout.write("Delete all previously imported CRM data? [y/N] ", ending="")
        self.stdout.flush()
        answer = sys.stdin.readline()
        if not answer:
            self.stdout.write("")  # end of input: the prompt's line ends here
        return answer.strip().lower() in ("y", "yes")

    def _progress(self, purge) -> None:
        self.stdout.write(
            f"{purge.progress_percent:>3}% {purge.done} of {purge.total} · {purge.phase}"
        )

    @staticmethod
    def _done(counts: dict) -> str:
        parts = [
            f"{kind} deleted {numbers.get('deleted', 0)}, unlinked {numbers.get('unlinked', 0)}"
            for kind, numbers in counts.items()
            if numbers.get("deleted") or numbers.get("unlinked")
        ]
        return "; ".join(parts) or "nothing to delete or unlink"

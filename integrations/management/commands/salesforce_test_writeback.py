"""Test write-back: create a test Contact in Salesforce with one Task of every kind and a
note, as the write-back writes them, or delete the test records again.

    python manage.py salesforce_test_writeback [--owner-email EMAIL]
    python manage.py salesforce_test_writeback --cleanup

Creating prints one line per record (kind, Salesforce id, its "View in CRM" link); clean-up
deletes the records of every test not cleaned up yet and prints how many. Exits non-zero
with the reason and a hint when Salesforce cannot or will not write or delete them.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.exceptions import SalesforceError
from integrations.services.writeback_tests import writeback_test_cleanup, writeback_test_create

LEFT_OVER = "Anything it created is recorded: --cleanup deletes it."


class Command(BaseCommand):
    help = (
        "Create a test Contact in Salesforce with an InMail, a message and a call as Tasks and "
        "a note, or delete the test records with --cleanup."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cleanup",
            action="store_true",
            help="Delete the records of every test write-back not cleaned up yet.",
        )
        parser.add_argument(
            "--owner-email",
            default="",
            metavar="EMAIL",
            help="Own the test records by the active Salesforce user with this email "
            "(default: the integration user).",
        )

    def handle(self, *args, **options):
        if options["cleanup"]:
            self._cleanup()
        else:
            self._create(options["owner_email"])

    def _create(self, owner_email: str) -> None:
        try:
            test = writeback_test_create(owner_email=owner_email)
        except ValidationError as error:
            raise CommandError(f"--owner-email: {' '.join(error.messages)}") from error
        except SalesforceError as error:
            raise CommandError(f"{error}\nHint: {error.hint}\n{LEFT_OVER}") from error
        for record in test.records():
            self.stdout.write(
                f"{record.label:<8} {record.salesforce_id}  View in CRM: {record.url}"
            )
        self.stdout.write(test.owner_message)
        self.stdout.write("Delete them with: python manage.py salesforce_test_writeback --cleanup")

    def _cleanup(self) -> None:
        try:
            deleted = writeback_test_cleanup()
        except SalesforceError as error:
            raise CommandError(f"{error}\nHint: {error.hint}") from error
        self.stdout.write(f"Deleted {deleted} test record{'s' if deleted != 1 else ''}.")

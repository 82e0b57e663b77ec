"""`manage.py demo_close_case [CASE_NUMBER]`: close one open Case in the connected org (the
oldest open one with a Contact, or the one with that CaseNumber), as a support agent would.

In `make demo` this starts the survey walk-through: the emulated org's Outbound Message
posts the closed Case to the survey trigger, which invites the Case's Contact by email (the
email appears in the demo's console log).
"""

from django.core.management.base import BaseCommand, CommandError

from integrations.exceptions import SalesforceError
from integrations.services.connection import salesforce_client
from integrations.services.demo_surveys import demo_case_close


class Command(BaseCommand):
    help = "Close an open Case in the connected org (the demo's survey trigger)."

    def add_arguments(self, parser):
        parser.add_argument("case_number", nargs="?", help="e.g. 00001216; default: the oldest")

    def handle(self, *args, **options):
        try:
            closed = demo_case_close(client=salesforce_client(),
                                     case_number=options["case_number"])  # fmt: skip
        except SalesforceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Closed Case {closed['case_number']} ({closed['id']}). The org's Outbound Message "
            "sends it to the survey trigger; the invitation email follows in the demo's log."
        ))  # fmt: skip

"""Create a key for the ingestion API and print it once.

    python manage.py create_api_key "Host product"

Only a hash of the key is stored: copy it from the output, it cannot be shown again.
"""

from django.core.management.base import BaseCommand, CommandError

from tracking.models import ApiKey
from tracking.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for the ingestion API and print it (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who or what uses the key, e.g. 'Host product'.")

    def handle(self, *args, **options):
        name = options["name"].strip()
        max_length = ApiKey._meta.get_field("name").max_length
        if not name or len(name) > max_length:
            raise CommandError(f"NAME must be 1 to {max_length} characters.")
        issued = api_key_create(name=name)
        self.stdout.write(issued.key)
        self.stderr.write(
            f"Created API key “{name}” ({issued.api_key.prefix}…). Copy it now: it is not shown "
            "again. Send it as 'Authorization: Bearer <key>'."
        )

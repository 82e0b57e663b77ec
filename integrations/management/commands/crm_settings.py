"""Sync settings as code, to promote a set-up from a sandbox org to production.

    python manage.py crm_settings export [--output FILE]
    python manage.py crm_settings import FILE      (FILE may be - for standard input)

`export` prints every sync setting, the inclusion list and the field mappings as JSON (keys
documented in docs/configuration.md). `import` validates the whole document first, checking
mappings, the activity field map (against Task), the pipeline stage and won value field
(against the org's Opportunity stages and currency fields) and that the org has state and
country picklists (when the document turns them on) against the connected org when an org
is connected, and applies nothing when anything is wrong: it then exits non-zero listing
every problem with its key path.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.exceptions import ConfigurationError
from integrations.management.documents import json_document_read
from integrations.services.connection import salesforce_client
from integrations.services.settings import settings_export, settings_import


class Command(BaseCommand):
    help = "Export the sync settings as JSON, or import them from a JSON file after validation."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Print all sync settings as JSON.")
        export.add_argument("--output", "-o", help="Write to this file instead of the output.")
        apply = actions.add_parser("import", help="Validate and apply a settings document.")
        apply.add_argument("file", help="The JSON document, or - to read standard input.")

    def handle(self, *args, **options):
        if options["action"] == "export":
            self._export(options.get("output"))
        else:
            self._import(options["file"])

    def _export(self, output: str | None) -> None:
        text = json.dumps(settings_export(), indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Sync settings written to {output}.")
        else:
            self.stdout.write(text, ending="")

    def _import(self, path: str) -> None:
        document = json_document_read(path)
        try:
            client = salesforce_client()
        except ConfigurationError:
            client = None
            self.stderr.write(
                "No Salesforce org is connected: field mappings, the activity field map and the "
                "pipeline settings are checked for form only, not against the org's fields and "
                "stages, nor whether it has state and country picklists."
            )
        try:
            settings_import(document=document, client=client)
        except ValidationError as error:
            problems = [
                f"  {path}: {message}"
                for path, messages in error.message_dict.items()
                for message in messages
            ]
            self.stderr.write("\n".join(problems))
            raise CommandError(
                f"Nothing was changed: the document has {len(problems)} problem(s)."
            ) from error
        self.stdout.write(self.style.SUCCESS("Sync settings imported."))

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

from integrations.exceptions import ConfigurationError
from integrations.management.documents import DocumentCommand
from integrations.services.connection import salesforce_client
from integrations.services.settings import settings_export, settings_import


class Command(DocumentCommand):
    help = "Export the sync settings as JSON, or import them from a JSON file after validation."
    noun = "Sync settings"

    def export_document(self):
        return settings_export()

    def import_document(self, document) -> None:
        try:
            client = salesforce_client()
        except ConfigurationError:
            client = None
            self.stderr.write(
                "No Salesforce org is connected: field mappings, the activity field map and the "
                "pipeline settings are checked for form only, not against the org's fields and "
                "stages, nor whether it has state and country picklists."
            )
        settings_import(document=document, client=client)

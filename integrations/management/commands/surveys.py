"""Surveys as code, to promote a set-up from a sandbox org to production.

    python manage.py surveys export [--output FILE]
    python manage.py surveys import FILE      (FILE may be - for standard input)

`export` prints the surveys with their questions, response rules and Web-to-Lead, and the survey
triggers (with their keys and secrets) as JSON (keys documented in docs/surveys.md, "Surveys
as code"). `import` validates the whole document (the rules also against the connected org's
describe()) and applies it in one transaction, or changes nothing and exits non-zero listing
every problem with its key path.
"""

from integrations.management.documents import DocumentCommand
from integrations.services.surveys_document import surveys_export, surveys_import


class Command(DocumentCommand):
    help = (
        "Export the surveys (with their response rules) and survey triggers as JSON, or import "
        "them after validation."
    )
    noun = "Surveys"
    written_note = " (it holds the triggers' secrets)"

    def export_document(self):
        return surveys_export()

    def import_document(self, document) -> None:
        surveys_import(document=document)

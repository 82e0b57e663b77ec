"""Surveys as code, to promote a set-up from a sandbox org to production.

    python manage.py surveys export [--output FILE]
    python manage.py surveys import FILE      (FILE may be - for standard input)

`export` prints the surveys with their questions, response rules and Web-to-Lead, and the survey
triggers (with their keys and secrets) as JSON (keys documented in docs/surveys.md, "Surveys
as code"). `import` validates the whole document (the rules also against the connected org's
describe()) and applies it in one transaction, or changes nothing and exits non-zero listing
every problem with its key path.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.management.documents import json_document_read
from integrations.services.surveys_document import surveys_export, surveys_import


class Command(BaseCommand):
    help = (
        "Export the surveys (with their response rules) and survey triggers as JSON, or import "
        "them after validation."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Print the surveys and triggers as JSON.")
        export.add_argument("--output", "-o", help="Write to this file instead of the output.")
        apply = actions.add_parser("import", help="Validate and apply a surveys document.")
        apply.add_argument("file", help="The JSON document, or - to read standard input.")

    def handle(self, *args, **options):
        if options["action"] == "export":
            self._export(options.get("output"))
        else:
            self._import(options["file"])

    def _export(self, output: str | None) -> None:
        text = json.dumps(surveys_export(), indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Surveys written to {output} (it holds the triggers' secrets).")
        else:
            self.stdout.write(text, ending="")

    def _import(self, path: str) -> None:
        document = json_document_read(path)
        try:
            surveys_import(document=document)
        except ValidationError as error:
            problems = [
                f"  {key_path}: {message}"
                for key_path, messages in error.message_dict.items()
                for message in messages
            ]
            self.stderr.write("\n".join(problems))
            raise CommandError(
                f"Nothing was changed: the document has {len(problems)} problem(s)."
            ) from error
        self.stdout.write(self.style.SUCCESS("Surveys imported."))

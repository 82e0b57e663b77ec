"""The "as code" commands (`crm_settings`, `surveys`): `export [--output FILE]` and
`import FILE`, one JSON document each, its problems listed by key path."""

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


def json_document_read(path: str) -> Any:
    """The JSON document at `path` (`-`: standard input); CommandError saying what is wrong."""
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise CommandError(f"{path} is not valid JSON ({where}): {error.msg}.") from error


class DocumentCommand(BaseCommand):
    """`export` prints `export_document()`; `import` reads a file and calls `import_document`
    (a ValidationError's messages by key path are listed, and nothing was changed)."""

    noun = "document"  # what the messages call it, e.g. "Sync settings"
    written_note = ""  # said after writing an export to a file

    def export_document(self) -> Any:
        raise NotImplementedError

    def import_document(self, document: Any) -> None:
        raise NotImplementedError

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help=f"Print the {self.noun.lower()} as JSON.")
        export.add_argument("--output", "-o", help="Write to this file instead of the output.")
        apply = actions.add_parser("import", help=f"Validate and apply a {self.noun.lower()} file.")
        apply.add_argument("file", help="The JSON document, or - to read standard input.")

    def handle(self, *args, **options):
        if options["action"] == "export":
            self._export(options.get("output"))
        else:
            self._import(options["file"])

    def _export(self, output: str | None) -> None:
        text = json.dumps(self.export_document(), indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"{self.noun} written to {output}{self.written_note}.")
        else:
            self.stdout.write(text, ending="")

    def _import(self, path: str) -> None:
        document = json_document_read(path)
        try:
            self.import_document(document)
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
        self.stdout.write(self.style.SUCCESS(f"{self.noun} imported."))

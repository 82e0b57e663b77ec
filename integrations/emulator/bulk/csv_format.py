"""The CSV side of Bulk API 2.0: parsing uploads as Salesforce does and writing results."""

import csv
import io

LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n"}
DELIMITERS = {"COMMA": ",", "TAB": "\t", "PIPE": "|", "SEMICOLON": ";", "CARET": "^",
              "BACKQUOTE": "`"}  # fmt: skip
NULL_VALUE = "#N/A"


class BulkDataError(Exception):
    """Data that fails the whole job (its message becomes the job's errorMessage)."""


def parse(upload: bytes | None, line_ending: str, delimiter: str) -> tuple[list[str], list]:
    """The header and rows of a job's upload."""
    text = upload.decode("utf-8-sig") if upload else ""
    _check_line_ending(text, line_ending)
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITERS[delimiter]))
    if not lines:
        raise BulkDataError("InvalidBatch : Failed to parse CSV header: no data uploaded")
    return lines[0], [line for line in lines[1:] if line]


def _check_line_ending(text: str, line_ending: str) -> None:
    crlf = text.count("\r\n")
    wrong = crlf > 0 if line_ending == "LF" else text.count("\n") != crlf
    if wrong:
        raise BulkDataError(
            "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting "
            f"is {line_ending}"
        )


def canonical_header(sobject, job, header: list[str]) -> list[str]:
    """The header's canonical field names, or the error that fails the job."""
    canonical = []
    for name in header:
        spec = sobject.field(name.strip())
        if spec is None:
            raise BulkDataError(f"InvalidBatch : Field name not found : {name}")
        if spec.name in canonical:
            raise BulkDataError(f"InvalidBatch : Duplicate field name: {name}")
        canonical.append(spec.name)
    required = job.external_id_field if job.operation == "upsert" else "Id"
    if job.operation != "insert" and required not in canonical:
        raise BulkDataError(f"InvalidBatch : Field name not found : {required}")
    return canonical


def row_fields(header: list[str], row: list[str]) -> dict:
    return {
        name: None if value == NULL_VALUE else value
        for name, value in zip(header, row, strict=True)
    }


def write(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()

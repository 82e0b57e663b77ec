"""Reading the JSON documents of the "as code" commands (`crm_settings`, `surveys`)."""

import json
import sys
from typing import Any

from django.core.management.base import CommandError


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

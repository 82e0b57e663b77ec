"""A log filter that keeps ingestion API keys out of every log line the console writes.

The API never logs a key itself (see tracking.api.auth); this is the net under it, for a key
that reaches a message or an exception text any other way (a library, a bad header echoed in
an error). What is left, `crmb_[redacted]`, still says that a key was there.
"""

import logging
import re

KEY = re.compile(r"crmb_[A-Za-z0-9_-]+")
REDACTED = "crmb_[redacted]"


def redact(text: str) -> str:
    return KEY.sub(REDACTED, text)


class RedactApiKeys(logging.Filter):
    """Rewrites a record's message and traceback text with every API key redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if KEY.search(message):
            record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True

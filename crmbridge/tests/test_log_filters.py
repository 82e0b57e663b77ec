"""The console log handler's filter: API keys never reach a log line, not even in a traceback."""

import logging
import sys

from crmbridge.log_filters import RedactApiKeys

KEY = "crmb_Xy9-abc_DEF123ghiJKL456mnoPQR789stuVWX0yz1"


def failed_record() -> logging.LogRecord:
    try:
        raise ValueError(f"bad header {KEY}")
    except ValueError:
        return logging.LogRecord(
            "any", logging.ERROR, __file__, 1, "sent %s", (KEY,), exc_info=sys.exc_info()
        )


def test_keys_are_redacted_in_messages_and_tracebacks():
    record = failed_record()

    assert RedactApiKeys().filter(record) is True

    text = logging.Formatter().format(record)
    assert KEY not in text
    assert "sent crmb_[redacted]" in text
    assert "ValueError: bad header crmb_[redacted]" in text


def test_other_lines_pass_unchanged():
    record = logging.LogRecord("any", logging.INFO, __file__, 1, "synced %d rows", (3,), None)

    assert RedactApiKeys().filter(record) is True

    assert logging.Formatter().format(record) == "synced 3 rows"


def test_the_console_handler_uses_it(settings):
    config = settings.LOGGING
    assert config["filters"]["redact_api_keys"]["()"] == "crmbridge.log_filters.RedactApiKeys"
    assert "redact_api_keys" in config["handlers"]["console"]["filters"]

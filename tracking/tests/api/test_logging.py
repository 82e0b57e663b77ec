"""No log line, at any level and from any logger, contains an API key, however it was sent."""

import logging

import pytest

from tracking.tests.api.conftest import KEY

pytestmark = pytest.mark.django_db

BODY = {"contacts": [{"email": "ada@example.com"}]}


class EveryRecord(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def every_log_record():
    """Every record of every logger at DEBUG, including loggers that do not propagate."""
    handler = EveryRecord()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    yield handler.records
    for logger, level in levels:
        logger.setLevel(level)
        logger.removeHandler(handler)


def logged_text(record: logging.LogRecord) -> str:
    formatter = logging.Formatter()
    return formatter.format(record) + repr(record.args) + repr(record.__dict__)


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize(
    "authorization",
    [f"Bearer {KEY}", f"Bearer {KEY}-wrong", f"Basic {KEY}", KEY, f"Token {KEY}"],
    ids=["right", "wrong", "basic", "no-scheme", "other-scheme"],
)
def test_no_log_line_contains_the_key(
    post, api_key, settings, every_log_record, debug, authorization
):
    settings.DEBUG = debug

    post("contacts", BODY, headers={"Authorization": authorization})

    assert every_log_record  # the request was logged at all (SQL, the 401 warning, ...)
    leaked = [logged_text(record) for record in every_log_record if KEY in logged_text(record)]
    assert leaked == []

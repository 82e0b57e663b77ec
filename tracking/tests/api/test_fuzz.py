"""The ingestion API under generated input: schemathesis (every check) and hypothesis.

Hypothesis also sends arbitrary JSON as properties (NaN, Infinity, NUL, lone surrogates in
keys and values): each is stored exactly as given or refused with the key's path, never a 500.

Schemathesis reads the OpenAPI document the API serves and sends valid and invalid requests
through Django's WSGI application (offline, in this process, on the test database), checking
every response: no server error, status codes, content types, headers and bodies as
documented, invalid data refused, valid data accepted. Each request runs in a transaction
rolled back afterwards, so every example starts from the same records. The examples per
operation are bounded so the file stays within a few tens of seconds.
"""

from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracking.models import Contact
from tracking.models.keys import match_key
from tracking.services import normalize_domain
from tracking.tests.api.conftest import KEY
from tracking.tests.factories import LinkFactory

MAX_EXAMPLES = 60

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.hook
def filter_case(context, case):
    """What a JSON schema cannot express, kept out of the requests meant to be valid: items of
    one request name distinct records (the documented rule), and a cursor is one the API
    handed out (an opaque token: any other string is a 400, see test_cursors.py). (A visit's
    link must be one posted before: the test gives valid visits a stored link.)"""
    if not case.meta or not case.meta.generation.mode.is_positive:
        return True
    if "cursor" in (case.query or {}):
        return False
    items = next(iter(case.body.values()), []) if isinstance(case.body, dict) else []
    return not any(_repeats(keys) for keys in zip(*map(_keys, items), strict=True))


def _keys(item: dict) -> tuple[str, str]:
    if "external_id" in item:  # links, visits, activities
        return item["external_id"], ""
    email = match_key(item.get("email") or "")
    name = match_key(item.get("name") or "")
    domain = normalize_domain(item.get("domain") or item.get("website") or "")
    return (email, name or domain) if email else (name, domain)


def _repeats(keys: tuple[str, ...]) -> bool:
    given = [key for key in keys if key]
    return len(set(given)) < len(given)


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: a request must not close the test's database connection
    (its transaction holds the test's records)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_every_generated_request_as_documented(case, api_key):
    with transaction.atomic():
        if case.path == "/api/v1/visits" and case.meta and case.meta.generation.mode.is_positive:
            link = LinkFactory()
            for visit in case.body["visits"]:
                visit["link_id"] = link.external_id
        case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"})
        transaction.set_rollback(True)


PROPERTY_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(), max_size=5),  # NUL and lone surrogates included
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(st.characters(), max_size=3), children, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.django_db
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(properties=st.dictionaries(st.text(st.characters(), max_size=3), PROPERTY_VALUES))
def test_any_properties_are_stored_as_given_or_refused_with_a_reason(post, properties):
    with transaction.atomic():
        body = {"contacts": [{"email": "p@example.com", "properties": properties}]}
        response = post("contacts", body)
        if response.status_code == 400:
            [error] = response.json()["errors"]
            assert error["field"].startswith("properties")
        else:
            assert response.status_code == 200
            stored = Contact.objects.get().properties
            given = {key: value for key, value in properties.items() if value is not None}
            assert _numbers_as_sent(stored) == _numbers_as_sent(given)
        transaction.set_rollback(True)


def _numbers_as_sent(value):
    """JSON numbers by their decimal value: PostgreSQL's jsonb keeps the number as written
    (4.039555837322233e+16) and reads it back as the integer it is, not as the float."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return Decimal(repr(value))
    if isinstance(value, list):
        return [_numbers_as_sent(item) for item in value]
    return {key: _numbers_as_sent(item) for key, item in value.items()}

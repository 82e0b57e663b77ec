"""Which refusals are about a record's owner: only those a new owner can fix."""

import pytest

from integrations.salesforce.results import RecordError, RecordResult
from integrations.sync.owner_fallback import owner_error


def refused(code, *fields):
    error = RecordError(code, "refused", fields)
    return RecordResult(index=0, success=False, id=None, errors=(error,)), error


@pytest.mark.parametrize(
    ("code", "fields", "about_owner"),
    [
        ("CANNOT_REPARENT_RECORD", ("OwnerId",), True),
        ("CANNOT_REPARENT_RECORD", (), True),
        ("CANNOT_REPARENT_RECORD", ("AccountId",), False),
        ("INACTIVE_OWNER_OR_USER", ("OwnerId",), True),
        ("INACTIVE_OWNER_OR_USER", (), True),
        ("INVALID_CROSS_REFERENCE_KEY", ("OwnerId",), True),
        ("INVALID_CROSS_REFERENCE_KEY", ("AccountId",), False),
    ],
)
def test_a_refusal_is_about_the_owner_when_it_names_ownerid_or_no_field(code, fields, about_owner):
    result, error = refused(code, *fields)

    assert owner_error(result) == (error if about_owner else None)

"""`manage.py create_api_key NAME` prints a working key once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracking.models import ApiKey
from tracking.selectors import api_key_active

pytestmark = pytest.mark.django_db


def test_prints_the_key_once_and_stores_only_its_hash():
    out, err = StringIO(), StringIO()

    call_command("create_api_key", "Host product", stdout=out, stderr=err)

    key = out.getvalue().strip()
    api_key = ApiKey.objects.get()
    assert key.startswith("crmb_")
    assert api_key_active(key=key) == api_key
    assert api_key.name == "Host product"
    assert key not in err.getvalue()
    assert "not shown again" in err.getvalue()


def test_blank_name_is_refused():
    with pytest.raises(CommandError, match="NAME"):
        call_command("create_api_key", "  ")
    assert not ApiKey.objects.exists()

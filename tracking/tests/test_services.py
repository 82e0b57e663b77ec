"""Pure helpers of the record services."""

import pytest

from tracking.services import normalize_domain


@pytest.mark.parametrize(
    ("value", "domain"),
    [
        ("acme.com", "acme.com"),
        ("ACME.com", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("https://www.acme.com/about?x=1", "acme.com"),
        ("http://shop.acme.co.uk:8080/", "shop.acme.co.uk"),
        ("  acme.com.  ", "acme.com"),
        ("", ""),
    ],
)
def test_normalize_domain(value, domain):
    assert normalize_domain(value) == domain

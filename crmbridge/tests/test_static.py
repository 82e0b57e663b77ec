"""Static files (the admin's CSS) are served by the application itself, with DEBUG off."""

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    """`collectstatic` into a fresh STATIC_ROOT, as `make demo` and a deployment run it."""
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_the_admin_css_is_served_with_debug_off(settings, collected):
    assert settings.DEBUG is False

    response = Client().get("/static/admin/css/base.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"".join(response.streaming_content).startswith(b"/*")


def test_an_unknown_static_file_is_404(collected):
    assert Client().get("/static/admin/css/no-such-file.css").status_code == 404

"""The dashboard at the top of the settings console."""

import pytest


@pytest.mark.browser
def test_dashboard_opens_in_a_browser(browser_page):
    browser_page.goto("/admin/")
    assert browser_page.locator("#crm-dashboard").is_visible()

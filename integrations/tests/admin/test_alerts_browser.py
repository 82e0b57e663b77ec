"""The alerts banner in a browser: on the console's pages, its "What to do" link leads to the
page that explains the alert."""

import pytest

from integrations.choices import RunStatus
from integrations.models import SyncSettings
from integrations.services.alerts import alerts_evaluate
from integrations.tests.factories import SyncRunFactory

pytestmark = pytest.mark.browser


def test_banner_shows_the_alert_and_leads_to_the_failed_run(browser_page):
    # given three failed runs, the third of them the newest
    settings = SyncSettings.load()
    settings.alert_failed_cycles = 3
    settings.save()
    runs = [SyncRunFactory(status=RunStatus.FAILED, error="SERVER_UNAVAILABLE: Salesforce is down",
                           hint="Salesforce was briefly unavailable. CRM Bridge retries by itself.")
            for _ in range(3)]  # fmt: skip
    alerts_evaluate()
    # when
    browser_page.goto("/admin/")
    # then
    banner = browser_page.locator("#crm-alerts")
    assert "The last 3 sync runs failed" in banner.inner_text()
    assert banner.is_visible()
    banner.get_by_role("link", name="What to do").click()
    browser_page.wait_for_url(f"**/admin/integrations/syncrun/{runs[-1].pk}/change/")
    assert browser_page.locator("#crm-alerts").is_visible()  # on every admin page

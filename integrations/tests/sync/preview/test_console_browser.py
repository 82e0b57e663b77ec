"""The preview in a browser: "Preview the sync" from the dashboard, the report once the task
ran, with its table, samples and the CSV link."""

import pytest

from integrations.models import SyncPreview
from integrations.tasks import sync_preview_task

pytestmark = pytest.mark.browser


def test_preview_the_sync_from_the_dashboard_and_read_the_report(
    browser_page, sync_settings, emulator, make_contact, monkeypatch
):
    # given: the master switch off, contacts waiting, one Salesforce would refuse
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args, **kwargs: None)
    sync_settings.sync_enabled = False
    sync_settings.save()
    for name in ("ada", "grace", "linus"):
        make_contact(f"{name}@example.com", title="Engineer")
    make_contact("a" * 76 + "@x.io")
    page = browser_page
    # when: from the dashboard to the previews, "Preview the sync"
    page.goto("/admin/")
    page.locator("#dashboard-preview").click()
    page.get_by_role("button", name="Preview the sync").click()
    # then: its page, running until the task cluster ran it, then the report
    preview = SyncPreview.objects.get()
    page.wait_for_url(f"**/admin/integrations/syncpreview/{preview.pk}/change/")
    assert "nothing is written anywhere" in page.locator(".messagelist").inner_text()
    sync_preview_task(preview.pk)
    page.wait_for_selector("#preview-counts")  # the page refreshes itself
    row = page.locator("#preview-counts tbody tr").first.inner_text().split()
    assert row == ["Lead", "to", "Salesforce", "3", "0", "0", "0", "0", "1"]
    assert "STRING_TOO_LONG" in page.locator(".preview-sample").last.inner_text()
    assert page.locator("#download-csv").get_attribute("href").endswith(f"/{preview.pk}/csv/")

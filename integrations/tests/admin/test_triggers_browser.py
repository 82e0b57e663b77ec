"""Survey triggers and their deliveries in a browser: the trigger's URL, conditions inline, and
reprocessing a failed delivery from the list."""

import pytest

from integrations.tests.factories import (
    SurveyTriggerFactory,
    TriggerConditionFactory,
    TriggerDeliveryFactory,
)

pytestmark = pytest.mark.browser


def test_trigger_page_shows_url_masked_secret_and_conditions(browser_page, live_server):
    trigger = SurveyTriggerFactory(name="Closed cases")
    TriggerConditionFactory(trigger=trigger)

    browser_page.goto(f"/admin/integrations/surveytrigger/{trigger.pk}/change/")

    assert f"{live_server.url}/hooks/salesforce/{trigger.key}/" in browser_page.content()
    assert trigger.secret not in browser_page.content()
    assert browser_page.locator("#id_conditions-0-field").input_value() == "Status"


def test_failed_delivery_is_reprocessed_from_the_list(browser_page):
    delivery = TriggerDeliveryFactory(status="failed", outcome="Gave up after 6 attempts")

    browser_page.goto("/admin/integrations/triggerdelivery/")
    browser_page.check(f"input[name=_selected_action][value='{delivery.pk}']")
    browser_page.select_option("select[name=action]", "reprocess")
    browser_page.click("button[name=index]")

    message = browser_page.wait_for_selector(".messagelist .success")
    assert message.inner_text() == "1 deliveries will be processed again."
    delivery.refresh_from_db()
    assert delivery.status == "received"

"""The console's survey triggers (URL, masked secret, validated field names) and deliveries
(payload, outcome, invitations, "Reprocess")."""

import pytest

from integrations.models import SurveyTrigger, TriggerDelivery
from integrations.tests.factories import SurveyTriggerFactory, TriggerDeliveryFactory
from tracking.models import Invitation
from tracking.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

TRIGGERS = "/admin/integrations/surveytrigger/"
DELIVERIES = "/admin/integrations/triggerdelivery/"


def trigger_form(survey, **changes) -> dict:
    data = {
        "name": "Closed cases", "enabled": "on", "salesforce_object": "Case",
        "email_field": "Contact.Email", "survey": survey.pk, "condition_mode": "all",
        "captured_fields": '["CaseNumber"]', "delay_minutes": "0",
        "conditions-TOTAL_FORMS": "1", "conditions-INITIAL_FORMS": "0",
        "conditions-0-field": "Status", "conditions-0-operator": "equals",
        "conditions-0-value": "Closed",
    }  # fmt: skip
    return {**data, **changes}


def test_adding_a_trigger_shows_its_url_and_secret_once(admin_client):
    response = admin_client.post(f"{TRIGGERS}add/", trigger_form(SurveyFactory()))

    trigger = SurveyTrigger.objects.get()
    assert response.status_code == 302
    assert trigger.conditions.get().field == "Status"
    shown_once = admin_client.get(response.url).content.decode()
    assert f"http://testserver/hooks/salesforce/{trigger.key}/" in shown_once
    assert trigger.secret in shown_once
    page = admin_client.get(f"{TRIGGERS}{trigger.pk}/change/").content.decode()
    assert f"http://testserver/hooks/salesforce/{trigger.key}/" in page
    assert trigger.secret not in page
    assert trigger.secret[:4] + "•" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email_field", "Contact.Email'"),
        ("salesforce_object", "Case.Contact"),
        ("captured_fields", '["Subject; DROP"]'),
        ("captured_fields", '{"a": 1}'),
        ("conditions-0-field", "Status)"),
    ],
)
def test_bad_field_names_are_form_errors(admin_client, field, value):
    response = admin_client.post(f"{TRIGGERS}add/", trigger_form(SurveyFactory(), **{field: value}))
    assert response.status_code == 200
    assert not SurveyTrigger.objects.exists()
    assert "errorlist" in response.content.decode()


def test_delivery_page_shows_payload_outcome_and_invitations(admin_client):
    delivery = TriggerDeliveryFactory(payload='{"Id": "500x"}', outcome="500x: invited a@x.example")
    invitation = Invitation.objects.create(
        survey=delivery.trigger.survey, email="a@x.example", event_key="k"
    )
    delivery.invitations.add(invitation)

    page = admin_client.get(f"{DELIVERIES}{delivery.pk}/change/").content.decode()

    assert "{&quot;Id&quot;: &quot;500x&quot;}" in page
    assert "500x: invited a@x.example" in page
    assert f"{invitation.pk}: a@x.example (Queued)" in page
    assert admin_client.get(DELIVERIES).status_code == 200


def test_reprocess_action_puts_deliveries_back_to_received(
    admin_client, django_capture_on_commit_callbacks
):
    delivery = TriggerDeliveryFactory(status="failed", attempts=6, trigger=SurveyTriggerFactory())
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            DELIVERIES, {"action": "reprocess", "_selected_action": [delivery.pk]}
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("received", 0)
    assert len(callbacks) == 1
    assert TriggerDelivery.objects.count() == 1

"""Flow HTTP callouts: bearer secret or HMAC signature, and every way a callout is refused."""

import time

import pytest

from integrations.models import TriggerDelivery
from integrations.tests.webhooks.payloads import flow_callout, hook_url, post_flow, reason
from integrations.webhooks.auth import signature_for

pytestmark = pytest.mark.django_db


def bearer(trigger) -> dict:
    return {"Authorization": f"Bearer {trigger.secret}"}


def signed(trigger, body: bytes, *, at: float | None = None) -> dict:
    timestamp = str(int(time.time() if at is None else at))
    return {
        "X-CRMBridge-Timestamp": timestamp,
        "X-CRMBridge-Signature": signature_for(secret=trigger.secret, timestamp=timestamp,
                                               body=body),
    }  # fmt: skip


def test_bearer_callout_is_stored_and_enqueued(
    client, trigger, closed_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_flow(client, trigger, flow_callout(record_id=closed_case),
                             **bearer(trigger))  # fmt: skip

    assert response.status_code == 202
    delivery = TriggerDelivery.objects.get()
    assert response.json() == {
        "deliveries": [{"id": delivery.pk, "record_id": closed_case, "duplicate": False}]
    }
    assert delivery.kind == "flow"
    assert delivery.record_ids == [closed_case]
    assert delivery.idempotency_key == f"{closed_case}:2026-01-05T10:00:00.000+0000"
    assert len(callbacks) == 1  # the processing task, once committed


def test_signed_callout_is_accepted(client, trigger, closed_case):
    body = flow_callout(record_id=closed_case)
    response = post_flow(client, trigger, body, **signed(trigger, body))
    assert response.status_code == 202


def test_one_record_object_is_a_callout_too(client, trigger, closed_case):
    body = f'{{"Id": "{closed_case}", "Status": "Closed"}}'.encode()
    response = post_flow(client, trigger, body, **bearer(trigger))
    assert response.status_code == 202
    assert TriggerDelivery.objects.get().idempotency_key.startswith(f"{closed_case}:sha256:")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic c2VjcmV0"},
        {"X-CRMBridge-Timestamp": "1", "X-CRMBridge-Signature": "00"},
    ],
)
def test_missing_or_wrong_secret_is_403(client, trigger, closed_case, headers):
    response = post_flow(client, trigger, flow_callout(record_id=closed_case), **headers)
    assert response.status_code == 403
    assert not TriggerDelivery.objects.exists()


def test_signature_older_than_five_minutes_is_403(client, trigger, closed_case):
    body = flow_callout(record_id=closed_case)
    response = post_flow(client, trigger, body, **signed(trigger, body, at=time.time() - 301))
    assert response.status_code == 403


def test_signature_of_another_body_is_403(client, trigger, closed_case):
    body = flow_callout(record_id=closed_case)
    headers = signed(trigger, body)
    response = post_flow(client, trigger, body.replace(b"Closed", b"Open"), **headers)
    assert response.status_code == 403


def test_unknown_or_disabled_key_is_404(client, trigger, closed_case):
    body = flow_callout(record_id=closed_case)
    assert client.post("/hooks/salesforce/nope/", data=body,
                       content_type="application/json").status_code == 404  # fmt: skip
    trigger.enabled = False
    trigger.save()
    assert post_flow(client, trigger, body, **bearer(trigger)).status_code == 404


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"records": []}', "non-empty list"),
        (b'{"records": ["x"]}', "not an object"),
        (b'{"records": [{"Status": "Closed"}]}', "no valid Salesforce Id"),
        (b'{"Id": "500\'; DELETE"}', "no valid Salesforce Id"),
    ],
)
def test_malformed_body_is_400_with_the_reason(client, trigger, body, why):
    response = post_flow(client, trigger, body, **bearer(trigger))
    assert response.status_code == 400
    assert why in reason(response)
    assert not TriggerDelivery.objects.exists()


def test_the_same_callout_twice_is_one_delivery(client, trigger, closed_case):
    body = flow_callout(record_id=closed_case)
    post_flow(client, trigger, body, **bearer(trigger))
    again = post_flow(client, trigger, body, **bearer(trigger))

    assert again.status_code == 202
    assert again.json()["deliveries"][0]["duplicate"] is True
    assert TriggerDelivery.objects.count() == 1


def test_a_later_modstamp_is_a_new_delivery(client, trigger, closed_case):
    post_flow(client, trigger, flow_callout(record_id=closed_case), **bearer(trigger))
    later = flow_callout(record_id=closed_case, modstamp="2026-02-01T10:00:00.000+0000")
    post_flow(client, trigger, later, **bearer(trigger))
    assert TriggerDelivery.objects.count() == 2


def test_other_content_types_are_415(client, trigger):
    response = client.post(hook_url(trigger), data="Id=500", content_type="text/plain")
    assert response.status_code == 415

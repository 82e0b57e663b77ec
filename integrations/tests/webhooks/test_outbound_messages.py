"""Outbound Messages: the org check, the SOAP Ack once stored, redelivery, and the XML and size
attacks refused before they cost anything."""

import time

import pytest

from integrations.models import TriggerDelivery
from integrations.tests.webhooks.payloads import outbound_message, post_outbound, reason

pytestmark = pytest.mark.django_db

ACK = b"<Ack>true</Ack>"


def test_notifications_are_stored_then_acknowledged(
    client, trigger, emulator, closed_case, django_capture_on_commit_callbacks
):
    other = emulator.store.insert("Case", {"Subject": "Other", "Status": "Closed"})
    body = outbound_message(
        org_id=emulator.org_id, notifications=[("04l8d0000000001AAA", closed_case),
                                               ("04l8d0000000002AAA", other)],
    )  # fmt: skip
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_outbound(client, trigger, body)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert ACK in response.content
    assert b"notificationsResponse" in response.content
    deliveries = TriggerDelivery.objects.order_by("pk")
    assert [d.idempotency_key for d in deliveries] == ["04l8d0000000001AAA", "04l8d0000000002AAA"]
    assert [d.record_ids for d in deliveries] == [[closed_case], [other]]
    assert deliveries[0].kind == "outbound_message"
    assert "Printer & scanner" in deliveries[0].payload
    assert len(callbacks) == 2


def test_org_id_compares_by_its_15_characters(client, trigger, emulator, closed_case):
    body = outbound_message(org_id=emulator.org_id[:15], notifications=[("04l1", closed_case)])
    assert post_outbound(client, trigger, body).status_code == 200


def test_another_orgs_message_is_400_and_nothing_is_stored(client, trigger, closed_case):
    body = outbound_message(org_id="00D8d0000000999AAA", notifications=[("04l1", closed_case)])
    response = post_outbound(client, trigger, body)
    assert response.status_code == 400
    assert "another Salesforce org" in reason(response)
    assert not TriggerDelivery.objects.exists()


def test_records_of_another_object_are_400(client, trigger, emulator, contact_id):
    body = outbound_message(
        org_id=emulator.org_id, notifications=[("04l1", contact_id)], sobject="Contact"
    )
    response = post_outbound(client, trigger, body)
    assert response.status_code == 400
    assert "for Case records, not Contact" in reason(response)


def test_redelivered_notification_is_acknowledged_but_stored_once(
    client, trigger, emulator, closed_case
):
    body = outbound_message(org_id=emulator.org_id, notifications=[("04l1", closed_case)])
    first, again = post_outbound(client, trigger, body), post_outbound(client, trigger, body)
    assert ACK in first.content
    assert ACK in again.content
    assert TriggerDelivery.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        "<notifications/>",
        "<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'>",
        "not xml at all",
    ],
)
def test_malformed_envelope_is_400(client, trigger, body):
    response = post_outbound(client, trigger, body)
    assert response.status_code == 400
    assert not TriggerDelivery.objects.exists()


def test_more_than_100_notifications_are_400(client, trigger, emulator, closed_case):
    notifications = [(f"04l{n}", closed_case) for n in range(101)]
    response = post_outbound(
        client, trigger, outbound_message(org_id=emulator.org_id, notifications=notifications)
    )
    assert response.status_code == 400
    assert "1 to 100 notifications" in reason(response)


def test_external_entity_is_refused_without_reading_the_file(client, trigger, emulator, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("00D-SECRET-CONTENT")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY leak SYSTEM "file://{secret}">]>'
        + outbound_message(org_id=emulator.org_id, notifications=[("04l1", "5008d0000000001AAA")])
        .split("?>", 1)[1].replace("Printer", "&leak;")
    )  # fmt: skip
    response = post_outbound(client, trigger, body)
    assert response.status_code == 400
    assert b"SECRET" not in response.content
    assert "DTDs, entities and external references" in reason(response)
    assert not TriggerDelivery.objects.exists()


def test_billion_laughs_is_refused_quickly(client, trigger):
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    body = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&lol9;</lolz>'
    started = time.monotonic()
    response = post_outbound(client, trigger, body)
    assert response.status_code == 400
    assert time.monotonic() - started < 1


def test_ten_megabyte_body_is_413(client, trigger):
    body = "<a>" + "x" * 10_000_000 + "</a>"
    response = post_outbound(client, trigger, body)
    assert response.status_code == 413
    assert not TriggerDelivery.objects.exists()


def test_a_declared_length_over_the_limit_is_413_before_reading(rf, trigger):
    from integrations.webhooks.views import salesforce_trigger

    request = rf.post("/", data="<a/>", content_type="text/xml")
    request.META["CONTENT_LENGTH"] = str(10_000_000)  # the stream holds 4 bytes: never read
    assert salesforce_trigger(request, key=trigger.key).status_code == 413

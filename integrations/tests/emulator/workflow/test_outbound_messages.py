"""Outbound Messages: a closing Case is posted as Salesforce's SOAP envelope to a local
receiver, retried with the same notification Id until the receiver acknowledges it."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from defusedxml.ElementTree import fromstring

from integrations.webhooks.parsers import ACK, outbound_message

NS = {
    "soapenv": "http://schemas.xmlsoap.org/soap/envelope/",
    "om": "http://soap.sforce.com/2005/09/outbound",
    "sf": "urn:sobject.enterprise.soap.sforce.com",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


class Receiver:
    """A local endpoint recording each body; the first `failures` posts get a 503."""

    def __init__(self, failures: int = 0):
        self.bodies: list[bytes] = []
        self.headers: list[dict] = []
        self.failures = failures
        self.received = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.received:
                    receiver.bodies.append(body)
                    receiver.headers.append(dict(self.headers))
                    failing = len(receiver.bodies) <= receiver.failures
                    receiver.received.notify_all()
                answer = b"busy" if failing else ACK.encode()
                self.send_response(503 if failing else 200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 10) -> list[bytes]:
        with self.received:
            self.received.wait_for(lambda: len(self.bodies) >= count, timeout)
        return list(self.bodies)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def org(emulator):
    """The emulator with fast retries; its rules are dropped afterwards."""
    messages = emulator.outbound_messages
    messages.first_retry, messages.max_retry, messages.max_age = 0.05, 0.2, 30.0
    yield emulator
    messages.clear()
    messages.first_retry, messages.max_retry, messages.max_age = 2.0, 60.0, 30 * 60.0


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def case_id(org):
    contact_id = org.store.insert("Contact", {"LastName": "Kundin", "Email": "k@example.com"})
    return org.store.insert("Case", {"Subject": "Drucker & Scanner", "ContactId": contact_id})


def test_closing_a_case_posts_the_notifications_envelope(org, receiver, case_id):
    rule_id = org.add_outbound_message(
        endpoint_url=receiver.url, fields=["CaseNumber", "ContactId", "Status", "Subject"]
    )
    case_number = org.store.get("Case", case_id)["CaseNumber"]
    assert org.close_case(case_number) == {"id": case_id, "case_number": case_number}

    (body,) = receiver.wait_for(1)
    assert receiver.headers[0]["Content-Type"] == "text/xml; charset=utf-8"
    notifications = fromstring(body).find("soapenv:Body/om:notifications", NS)
    assert notifications.findtext("om:OrganizationId", namespaces=NS) == org.org_id
    assert notifications.findtext("om:ActionId", namespaces=NS) == rule_id
    session = notifications.find("om:SessionId", NS)
    assert session.get(f"{{{NS['xsi']}}}nil") == "true"
    assert notifications.findtext("om:EnterpriseUrl", namespaces=NS) == (
        f"{org.url}/services/Soap/c/62.0/{org.org_id[:15]}"
    )
    assert notifications.findtext("om:PartnerUrl", namespaces=NS).startswith(
        f"{org.url}/services/Soap/u/"
    )
    (item,) = notifications.findall("om:Notification", NS)
    assert item.findtext("om:Id", namespaces=NS).startswith("04l")
    sobject = item.find("om:sObject", NS)
    assert sobject.get(f"{{{NS['xsi']}}}type") == "sf:Case"
    case = org.store.get("Case", case_id)
    assert {child.tag.rpartition("}")[2]: child.text for child in sobject} == {
        "Id": case_id, "CaseNumber": case_number, "ContactId": case["ContactId"],
        "Status": "Closed", "Subject": "Drucker & Scanner",
    }  # fmt: skip
    # The product's parser reads it as one Case notification of this org.
    parsed = outbound_message(body)
    assert parsed.organization_id == org.org_id
    assert parsed.sobject_types == {"Case"}
    assert [record.record_id for record in parsed.records] == [case_id]


def test_it_is_retried_with_the_same_notification_id_until_acknowledged(org, case_id):
    receiver = Receiver(failures=2)
    try:
        org.add_outbound_message(endpoint_url=receiver.url, fields=["Status"])
        org.close_case()
        bodies = receiver.wait_for(3)
        time.sleep(0.5)  # an acknowledged notification is not sent again
        assert len(receiver.bodies) == 3
    finally:
        receiver.close()
    ids = {outbound_message(body).records[0].delivery_key for body in bodies}
    assert len(ids) == 1
    status = org.outbound_messages.status()
    assert status["queued"] == []
    assert [(n["record_id"], n["attempts"]) for n in status["delivered"]] == [(case_id, 3)]


def test_only_the_change_to_closed_fires_it(org, receiver, case_id):
    org.add_outbound_message(endpoint_url=receiver.url, fields=["Status"])
    org.store.update("Case", case_id, {"Subject": "Still open"})
    org.store.update("Case", case_id, {"Status": "Escalated"})
    org.store.update("Case", case_id, {"Status": "Closed"})
    org.store.update("Case", case_id, {"Subject": "Edited while closed"})
    org.store.insert("Case", {"Subject": "Closed at once", "Status": "Closed"})
    assert len(receiver.wait_for(2)) == 2
    time.sleep(0.3)
    assert len(receiver.bodies) == 2


def test_a_rolled_back_write_sends_nothing(org, receiver, case_id):
    org.add_outbound_message(endpoint_url=receiver.url, fields=["Status"])
    with org.store.atomic():
        org.store.update("Case", case_id, {"Status": "Closed"})
        org.store.rollback()
    time.sleep(0.3)
    assert receiver.bodies == []
    assert org.outbound_messages.status()["queued"] == []


def test_a_removed_rule_sends_nothing(org, receiver, case_id):
    rule_id = org.add_outbound_message(endpoint_url=receiver.url, fields=["Status"])
    org.remove_outbound_message(rule_id)
    org.close_case()
    time.sleep(0.3)
    assert receiver.bodies == []


def test_an_endpoint_that_never_acknowledges_is_given_up(org, case_id):
    org.outbound_messages.max_age = 0.3
    receiver = Receiver(failures=1000)
    try:
        org.add_outbound_message(endpoint_url=receiver.url, fields=["Status"])
        org.close_case()
        receiver.wait_for(2)
        time.sleep(0.6)
        attempts = len(receiver.bodies)
        time.sleep(0.4)
        assert len(receiver.bodies) == attempts
    finally:
        receiver.close()
    assert org.outbound_messages.status()["queued"] == []


def test_control_api_adds_lists_and_removes_rules(org, receiver, case_id, http_admin):
    base = f"{org.url}/_emulator"
    created = http_admin.post(f"{base}/outbound_messages", json={
        "object": "Case", "endpoint_url": receiver.url, "fields": ["CaseNumber"],
    })  # fmt: skip
    assert created.status_code == 201
    rule = created.json()
    assert rule["fields"] == ["Id", "CaseNumber"]
    closed = http_admin.post(f"{base}/close_case", json={})
    assert closed.json()["id"] == case_id
    receiver.wait_for(1)
    listed = http_admin.get(f"{base}/outbound_messages").json()
    assert [r["id"] for r in listed["rules"]] == [rule["id"]]
    assert http_admin.delete(f"{base}/outbound_messages/{rule['id']}").status_code == 204
    assert http_admin.get(f"{base}/outbound_messages").json()["rules"] == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"object": "Case", "endpoint_url": "ftp://x", "fields": []}, "INVALID_FIELD"),
        ({"object": "Case", "endpoint_url": "http://x/", "fields": ["Nope"]}, "INVALID_FIELD"),
        ({"object": "Contact", "endpoint_url": "http://x/", "fields": []}, "INVALID_TYPE"),
        ({"object": "Case", "endpoint_url": "http://x/", "fields": "Status"}, "INVALID_FIELD"),
    ],
)
def test_bad_rules_are_400(org, http_admin, body, code):
    response = http_admin.post(f"{org.url}/_emulator/outbound_messages", json=body)
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == code


def test_closing_an_unknown_or_closed_case_is_an_error(org, http_admin, case_id):
    base = f"{org.url}/_emulator"
    assert http_admin.post(f"{base}/close_case", json={"case_number": "999"}).status_code == 404
    number = org.close_case()["case_number"]
    again = http_admin.post(f"{base}/close_case", json={"case_number": number})
    assert again.status_code == 400
    assert "already closed" in again.json()[0]["message"]
    assert http_admin.post(f"{base}/close_case", json={}).status_code == 404


@pytest.fixture
def http_admin(org, http):
    http.headers["Authorization"] = f"Bearer {org.admin_key}"
    return http

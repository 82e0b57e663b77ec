"""The two bodies a survey trigger accepts, parsed into the records they name.

- A Flow HTTP callout (JSON): `{"records": [{"Id": "500...", "SystemModstamp": "...", ...}]}`
  or one record object `{"Id": "500...", ...}`. Every record needs a Salesforce `Id`; the
  other fields are kept as sent (the record is read back from Salesforce before acting).
- An Outbound Message (SOAP): the `notifications` element of Salesforce's outbound namespace
  with `OrganizationId`, `ActionId`, `SessionId`, `EnterpriseUrl`, `PartnerUrl` and up to 100
  `Notification`s, each with its own `Id` and an `sObject` (`xsi:type="sf:Case"`) holding the
  record's fields. Parsed with defusedxml: a DTD, an entity or an external reference is
  refused before anything is expanded or fetched.

Both raise `PayloadError` with a reason an admin can act on.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
OUTBOUND_NS = "http://soap.sforce.com/2005/09/outbound"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
MAX_FLOW_RECORDS = 200  # what one Flow collection callout sends at most
MAX_NOTIFICATIONS = 100  # what Salesforce puts into one Outbound Message
RECORD_ID = re.compile(r"[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?")
ACK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}"><soapenv:Body>'
    f'<notificationsResponse xmlns="{OUTBOUND_NS}"><Ack>true</Ack></notificationsResponse>'
    "</soapenv:Body></soapenv:Envelope>"
)


class PayloadError(ValueError):
    """The body is not a trigger payload; the message says why."""


@dataclass(frozen=True)
class TriggerRecord:
    """One record a payload names, with the key that makes its delivery happen once."""

    record_id: str
    delivery_key: str
    fields: dict = field(default_factory=dict)
    body: str = ""


@dataclass(frozen=True)
class OutboundMessage:
    organization_id: str
    action_id: str
    sobject_types: frozenset[str]
    records: list[TriggerRecord]


def flow_callout(body: bytes) -> list[TriggerRecord]:
    """The records of a Flow callout's JSON body, each keyed by its Id and SystemModstamp
    (or, without one, a hash of the record as sent: the same callout twice is one delivery)."""
    return [_flow_record(record) for record in _flow_records(body)]


def _flow_record(record: dict) -> TriggerRecord:
    body = json.dumps(record, sort_keys=True, separators=(",", ":"))
    modstamp = record.get("SystemModstamp")
    version = modstamp if isinstance(modstamp, str) and modstamp else _digest(body)
    return TriggerRecord(
        record_id=record["Id"], delivery_key=f"{record['Id']}:{version}", fields=record, body=body
    )


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _flow_records(body: bytes) -> list[dict]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise PayloadError(f"The body is not valid JSON: {error}.") from None
    records = data.get("records") if isinstance(data, dict) and "records" in data else [data]
    if not isinstance(records, list) or not records:
        raise PayloadError('"records" must be a non-empty list of record objects.')
    if len(records) > MAX_FLOW_RECORDS:
        raise PayloadError(f"At most {MAX_FLOW_RECORDS} records per callout; got {len(records)}.")
    for position, record in enumerate(records):
        if not isinstance(record, dict):
            raise PayloadError(f"Record {position} is not an object.")
        if not isinstance(record.get("Id"), str) or not RECORD_ID.fullmatch(record["Id"]):
            raise PayloadError(f"Record {position} has no valid Salesforce Id.")
    return records


def outbound_message(body: bytes) -> OutboundMessage:
    """The notifications of an Outbound Message's SOAP envelope."""
    root = _xml(body)
    notifications = root.find(f"{{{SOAP_NS}}}Body/{{{OUTBOUND_NS}}}notifications")
    if notifications is None:
        raise PayloadError("The body is not a Salesforce Outbound Message (no notifications).")
    organization_id = _text(notifications, "OrganizationId")
    if not RECORD_ID.fullmatch(organization_id):
        raise PayloadError("The Outbound Message has no valid OrganizationId.")
    items = notifications.findall(f"{{{OUTBOUND_NS}}}Notification")
    if not items or len(items) > MAX_NOTIFICATIONS:
        raise PayloadError(f"An Outbound Message carries 1 to {MAX_NOTIFICATIONS} notifications.")
    records, types = [], set()
    for position, item in enumerate(items):
        record, sobject_type = _notification(item, position)
        records.append(record)
        types.add(sobject_type)
    return OutboundMessage(
        organization_id=organization_id,
        action_id=_text(notifications, "ActionId"),
        sobject_types=frozenset(types),
        records=records,
    )


def _xml(body: bytes) -> Element:
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise PayloadError("DTDs, entities and external references are not accepted.") from None
    except ParseError as error:
        raise PayloadError(f"The body is not well-formed XML: {error}.") from None


def _notification(item: Element, position: int) -> tuple[TriggerRecord, str]:
    notification_id = _text(item, "Id")
    sobject = item.find(f"{{{OUTBOUND_NS}}}sObject")
    if not notification_id or sobject is None:
        raise PayloadError(f"Notification {position} needs an Id and an sObject.")
    fields = {_local(child.tag): (child.text or "") for child in sobject}
    if not RECORD_ID.fullmatch(fields.get("Id", "")):
        raise PayloadError(f"Notification {position}'s sObject has no valid Id.")
    sobject_type = sobject.get(f"{{{XSI_NS}}}type", "").rpartition(":")[2]
    record = TriggerRecord(
        record_id=fields["Id"],
        delivery_key=notification_id,
        fields=fields,
        body=json.dumps({"notification_id": notification_id, "sObject": fields}),
    )
    return record, sobject_type


def _text(parent: Element, name: str) -> str:
    return (parent.findtext(f"{{{OUTBOUND_NS}}}{name}") or "").strip()


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]

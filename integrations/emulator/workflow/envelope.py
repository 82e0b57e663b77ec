"""The SOAP `notifications` envelope an Outbound Message posts, in the shape of Salesforce's
outbound messaging WSDL: OrganizationId, ActionId, a nil SessionId, the Enterprise and
Partner URLs, then one `Notification` (its own Id and an `sObject` of `xsi:type="sf:<Object>"`
with the rule's fields) per record. Empty fields are left out, as Salesforce does.
"""

from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
OUTBOUND_NS = "http://soap.sforce.com/2005/09/outbound"
SOBJECT_NS = "urn:sobject.enterprise.soap.sforce.com"
API_VERSION = "62.0"


def notifications_envelope(
    *, org_id: str, action_id: str, instance_url: str, notifications: list[tuple[str, str, dict]]
) -> bytes:
    """The envelope for (notification id, object name, fields) triples."""
    items = "".join(
        _notification(notification_id, obj, fields)
        for notification_id, obj, fields in notifications
    )
    org15 = org_id[:15]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<soapenv:Body>"
        f'<notifications xmlns="{OUTBOUND_NS}">'
        f"<OrganizationId>{escape(org_id)}</OrganizationId>"
        f"<ActionId>{escape(action_id)}</ActionId>"
        '<SessionId xsi:nil="true"/>'
        f"<EnterpriseUrl>{escape(instance_url)}/services/Soap/c/{API_VERSION}/{org15}"
        "</EnterpriseUrl>"
        f"<PartnerUrl>{escape(instance_url)}/services/Soap/u/{API_VERSION}/{org15}</PartnerUrl>"
        f"{items}"
        "</notifications></soapenv:Body></soapenv:Envelope>"
    ).encode()


def _notification(notification_id: str, obj: str, fields: dict) -> str:
    values = "".join(
        f"<sf:{name}>{escape(_text(value))}</sf:{name}>"
        for name, value in fields.items()
        if value is not None and value != ""
    )
    return (
        f"<Notification><Id>{escape(notification_id)}</Id>"
        f"<sObject xsi:type={quoteattr('sf:' + obj)} xmlns:sf={quoteattr(SOBJECT_NS)}>"
        f"{values}</sObject></Notification>"
    )


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

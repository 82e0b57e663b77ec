"""The survey trigger endpoint Salesforce calls: `/hooks/salesforce/<key>/`.

Each request goes verify → parse → store → enqueue on commit → acknowledge, and the handler
is picked from a table by the body's content type (JSON: a Flow HTTP callout; XML: an
Outbound Message). The body is read bounded: an oversized one is refused (413) before it is
read whole. Answers: 404 for an unknown or disabled key, 403 for a callout without a valid
secret or signature, 400 with the reason (JSON) for a malformed body or another org's
message, 413 for a body over the limit, 415 for another content type; 202 with the stored
deliveries for a callout, and the SOAP Ack for an Outbound Message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.models import SalesforceConnection, SurveyTrigger
from integrations.models.triggers import DeliveryKind
from integrations.services.deliveries import deliveries_store
from integrations.webhooks.auth import flow_authenticated
from integrations.webhooks.parsers import ACK, PayloadError, flow_callout, outbound_message

MAX_BODY_BYTES = 1_000_000
ORG_ID_CHARS = 15  # an org id compares by its case-sensitive 15-character form


class BodyTooLargeError(Exception):
    pass


def _error(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


@csrf_exempt
@require_POST
def salesforce_trigger(request: HttpRequest, key: str) -> HttpResponse:
    trigger = SurveyTrigger.objects.filter(key=key, enabled=True).select_related("survey").first()
    if trigger is None:
        return _error(404, "No enabled survey trigger has this URL.")
    content_type = request.content_type.lower()
    handler = HANDLERS.get(content_type)
    if handler is None:
        return _error(415, "Send JSON (a Flow HTTP callout) or XML (an Outbound Message).")
    try:
        body = _bounded_body(request)
    except BodyTooLargeError:
        return _error(413, f"The body is larger than {MAX_BODY_BYTES:,} bytes.")
    try:
        return handler(request, trigger, body)
    except PayloadError as error:
        return _error(400, str(error))


def _flow(request: HttpRequest, trigger: SurveyTrigger, body: bytes) -> HttpResponse:
    if not flow_authenticated(request=request, body=body, secret=trigger.secret):
        return _error(403, "Missing or wrong bearer secret or signature.")
    stored = deliveries_store(trigger=trigger, kind=DeliveryKind.FLOW, records=flow_callout(body))
    deliveries = [
        {"id": delivery.pk, "record_id": delivery.record_ids[0], "duplicate": not created}
        for delivery, created in stored
    ]
    return JsonResponse({"deliveries": deliveries}, status=202)


def _outbound_message(request: HttpRequest, trigger: SurveyTrigger, body: bytes) -> HttpResponse:
    message = outbound_message(body)
    org_id = SalesforceConnection.load().org_id
    if not org_id or message.organization_id[:ORG_ID_CHARS] != org_id[:ORG_ID_CHARS]:
        raise PayloadError("The Outbound Message comes from another Salesforce org.")
    if message.sobject_types - {trigger.salesforce_object}:
        raise PayloadError(
            f"This trigger is for {trigger.salesforce_object} records, not "
            f"{', '.join(sorted(message.sobject_types - {trigger.salesforce_object}))}."
        )
    deliveries_store(trigger=trigger, kind=DeliveryKind.OUTBOUND_MESSAGE, records=message.records)
    return HttpResponse(ACK, content_type="text/xml; charset=utf-8")


def _bounded_body(request: HttpRequest) -> bytes:
    """The body, read no further than the limit (the declared length is checked first)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise BodyTooLargeError
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise BodyTooLargeError
    return body


HANDLERS: dict[str, Callable[[HttpRequest, SurveyTrigger, bytes], HttpResponse]] = {
    "application/json": _flow,
    "text/xml": _outbound_message,
    "application/xml": _outbound_message,
    "application/soap+xml": _outbound_message,
}

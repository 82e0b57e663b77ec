"""Who may call a survey trigger.

A Flow HTTP callout proves itself with the trigger's secret: either as a bearer token (what a
Named Credential sends: `Authorization: Bearer <secret>`), or as an HMAC-SHA256 signature for
Apex callers: `X-CRMBridge-Timestamp` (Unix seconds) and `X-CRMBridge-Signature`, the hex
digest of `<timestamp>.<body>` keyed with the secret, within five minutes of our clock.
Both are compared in constant time.

An Outbound Message carries no secret (Salesforce cannot add one): the unguessable trigger key
in the URL is the credential, and the message's OrganizationId must be the connected org's.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.http import HttpRequest

SIGNATURE_WINDOW_SECONDS = 300
TIMESTAMP_HEADER = "X-CRMBridge-Timestamp"
SIGNATURE_HEADER = "X-CRMBridge-Signature"


def flow_authenticated(*, request: HttpRequest, body: bytes, secret: str) -> bool:
    """The callout carries the secret as a bearer token, or a valid recent signature."""
    if SIGNATURE_HEADER in request.headers:
        return signature_valid(
            secret=secret,
            body=body,
            timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
            signature=request.headers[SIGNATURE_HEADER],
        )
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), secret.encode())


def signature_for(*, secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>` (what a caller sends)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_valid(
    *, secret: str, body: bytes, timestamp: str, signature: str, now: float | None = None
) -> bool:
    if not timestamp.isdigit():
        return False
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        return False
    expected = signature_for(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())

"""The two payload shapes a trigger accepts (one fixture file each), and posting them to
a trigger's URL."""

from __future__ import annotations

import json
from pathlib import Path
from string import Template

from django.urls import reverse

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str, **values) -> str:
    return Template((FIXTURES / name).read_text()).substitute(**values)


def outbound_message(*, org_id: str, notifications: list[tuple[str, str]], sobject="Case") -> str:
    """An Outbound Message of (notification id, record id) pairs."""
    items = "".join(
        fixture("outbound_message_notification.xml", notification_id=notification_id,
                record_id=record_id, sobject_type=sobject)
        for notification_id, record_id in notifications
    )  # fmt: skip
    return fixture("outbound_message_case.xml", org_id=org_id, notifications=items)


def flow_callout(*, record_id: str, modstamp: str = "2026-01-05T10:00:00.000+0000") -> bytes:
    return fixture("flow_callout_case.json", record_id=record_id, modstamp=modstamp).encode()


def hook_url(trigger) -> str:
    return reverse("webhooks:salesforce-trigger", kwargs={"key": trigger.key})


def post_outbound(client, trigger, body: str):
    return client.post(hook_url(trigger), data=body, content_type="text/xml; charset=utf-8")


def post_flow(client, trigger, body: bytes, **headers):
    return client.post(hook_url(trigger), data=body, content_type="application/json",
                       headers=headers)  # fmt: skip


def reason(response) -> str:
    return json.loads(response.content)["error"]

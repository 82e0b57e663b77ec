"""Outbound Messages: a rule on an object sends the record to an endpoint when it closes.

A rule (`OutboundMessages.add`) names an object with a Status picklist that closes it (Case),
an endpoint URL and the fields to send. Its criterion is "IsClosed becomes true": a record
created closed, or edited from open to closed, by any write path (REST, composite, bulk, the
control API). As on Salesforce, the notification is queued and a background thread sends it:
the record's fields as they are at sending time, with the same notification Id on every
attempt, retried with a doubling wait until the endpoint answers `<Ack>true</Ack>`.
Salesforce retries for 24 hours (waits up to 2 hours); the emulator gives up sooner
(`max_age`, default 30 minutes; waits from `first_retry` up to `max_retry`), so tests and
demos set short values. Rules live in memory only; `clear()` drops rules and the queue.
"""

import itertools
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from ..errors import ApiError
from ..records.ids import make_id
from .envelope import notifications_envelope

logger = logging.getLogger(__name__)

ACK = re.compile(rb"<(?:\w+:)?Ack>\s*true\s*</(?:\w+:)?Ack>")
SEND_TIMEOUT = 10.0  # Salesforce waits 60 s; a local endpoint answers far sooner


@dataclass(frozen=True)
class OutboundMessageRule:
    rule_id: str
    obj: str
    endpoint_url: str
    fields: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"id": self.rule_id, "object": self.obj, "endpoint_url": self.endpoint_url,
                "fields": list(self.fields)}  # fmt: skip


@dataclass
class Notification:
    notification_id: str
    rule: OutboundMessageRule
    record_id: str
    queued_at: float
    due_at: float
    attempts: int = 0
    last_error: str = ""
    history: list[str] = field(default_factory=list)


class OutboundMessages:
    """The org's Outbound Message rules and the queue of notifications they made."""

    def __init__(self, store, instance_url):
        self.store = store
        self.instance_url = instance_url  # a callable: the emulator's URL once serving
        self.first_retry = 2.0
        self.max_retry = 60.0
        self.max_age = 30 * 60.0
        self._rules: dict[str, OutboundMessageRule] = {}
        self._queue: list[Notification] = []
        self._delivered: list[Notification] = []
        self._serials = itertools.count(1)
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        store.change_listeners.append(self.record_changed)

    # -- rules ----------------------------------------------------------------------------

    def add(self, *, obj: str, endpoint_url: str, fields: list[str]) -> OutboundMessageRule:
        sobject = self.store.object_type(obj)
        if "IsClosed" not in sobject.fields:
            raise ApiError("INVALID_TYPE", f"{sobject.name} records do not close.")
        url = urlsplit(endpoint_url or "")
        if url.scheme not in ("http", "https") or not url.netloc:
            raise ApiError("INVALID_FIELD", "endpoint_url must be an http(s) URL.",
                           fields=["endpoint_url"])  # fmt: skip
        names = ["Id"]
        for name in fields:
            spec = sobject.field(name)
            if spec is None:
                raise ApiError("INVALID_FIELD", f"No such column '{name}' on {sobject.name}",
                               fields=[name])  # fmt: skip
            if spec.name not in names:
                names.append(spec.name)
        with self._condition:
            rule = OutboundMessageRule(make_id("04k", next(self._serials)), sobject.name,
                                       endpoint_url, tuple(names))  # fmt: skip
            self._rules[rule.rule_id] = rule
        return rule

    def remove(self, rule_id: str) -> None:
        """Drop a rule and its queued notifications."""
        with self._condition:
            if self._rules.pop(rule_id, None) is None:
                raise ApiError("NOT_FOUND", "The requested resource does not exist", status=404)
            self._queue = [n for n in self._queue if n.rule.rule_id != rule_id]

    def rules(self) -> list[OutboundMessageRule]:
        with self._condition:
            return list(self._rules.values())

    def clear(self) -> None:
        with self._condition:
            self._rules.clear()
            self._queue.clear()
            self._delivered.clear()

    def status(self) -> dict:
        """The rules, the queue and what was delivered, for the control API."""
        with self._condition:
            return {
                "rules": [rule.as_dict() for rule in self._rules.values()],
                "queued": [_describe(n) for n in self._queue],
                "delivered": [_describe(n) for n in self._delivered],
            }

    # -- queueing -------------------------------------------------------------------------

    def record_changed(self, obj: str, old: dict | None, new: dict) -> None:
        """The store's listener: queue a notification per rule whose criterion a write met."""
        if not new.get("IsClosed") or (old is not None and old.get("IsClosed")):
            return
        with self._condition:
            rules = [rule for rule in self._rules.values() if rule.obj == obj]
            now = time.monotonic()
            for rule in rules:
                self._queue.append(Notification(make_id("04l", next(self._serials)), rule,
                                                new["Id"], queued_at=now, due_at=now))  # fmt: skip
            if rules:
                self._ensure_sender()
                self._condition.notify_all()

    def _ensure_sender(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._send_forever, daemon=True,
                                            name="emulator-outbound-messages")  # fmt: skip
            self._thread.start()

    # -- sending --------------------------------------------------------------------------

    def _send_forever(self) -> None:
        while True:
            with self._condition:
                due = self._next_due()
                if due is None:
                    wait = min((n.due_at for n in self._queue), default=None)
                    self._condition.wait(None if wait is None else max(wait - time.monotonic(), 0))
                    continue
            self._attempt(due)

    def _next_due(self) -> Notification | None:
        now = time.monotonic()
        for notification in self._queue:
            if notification.due_at <= now:
                return notification
        return None

    def _attempt(self, notification: Notification) -> None:
        notification.attempts += 1
        outcome = self._post(notification)
        with self._condition:
            notification.history.append(outcome or "acknowledged")
            if notification not in self._queue:
                return  # the rule was removed meanwhile
            if outcome is None:
                self._queue.remove(notification)
                self._delivered.append(notification)
                return
            notification.last_error = outcome
            wait = min(self.first_retry * 2 ** (notification.attempts - 1), self.max_retry)
            notification.due_at = time.monotonic() + wait
            if notification.due_at - notification.queued_at > self.max_age:
                logger.warning(
                    "outbound message %s dropped after %s attempts: %s",
                    notification.notification_id, notification.attempts, outcome,
                )  # fmt: skip
                self._queue.remove(notification)

    def _post(self, notification: Notification) -> str | None:
        """Send once; None when acknowledged, else why not."""
        rule = notification.rule
        record = self.store.get(rule.obj, notification.record_id) or {"Id": notification.record_id}
        body = notifications_envelope(
            org_id=self.store.org_id, action_id=rule.rule_id, instance_url=self.instance_url(),
            notifications=[(notification.notification_id, rule.obj,
                            {name: record.get(name) for name in rule.fields})],
        )  # fmt: skip
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
        try:
            response = requests.post(rule.endpoint_url, data=body, headers=headers,
                                     timeout=SEND_TIMEOUT)  # fmt: skip
        except requests.RequestException as error:
            return f"{type(error).__name__}: {error}"
        if response.status_code == 200 and ACK.search(response.content):
            return None
        return f"HTTP {response.status_code} without <Ack>true</Ack>"


def _describe(notification: Notification) -> dict:
    return {"id": notification.notification_id, "rule_id": notification.rule.rule_id,
            "record_id": notification.record_id, "attempts": notification.attempts,
            "last_error": notification.last_error}  # fmt: skip

"""Links created → a Task on the Account the link names (DocSend's rules).

A document link's Task has the document name, account name, document URL, internal and
external link URLs and the visitors so far; a room link's the room name, account name, room
URL and internal room URL. A new visitor changes the link (tracking marks it when the visit
arrives), and the Task is updated in the next push with the others. No Account with the
link's account name: the link waits, unresolved, and is written when one appears.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from integrations.sync.activities.kinds import TaskKind
from integrations.sync.activities.matching import Wanted
from integrations.sync.activities.task_values import attribute_fields, completed_task
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.activity_base import ActivityHandler
from tracking.choices import LinkKind
from tracking.models import Link, Visit

VISITORS_SHOWN = 200  # a long text field holds them; beyond this the count says the rest


class LinkTaskKind(TaskKind):
    model = Link

    def __init__(self):
        self.visitors: dict[int, list[str]] = {}  # of the batch being written

    def wanted(self, link: Link) -> Wanted:
        return Wanted(company=link.account_name)

    def owner_email(self, link: Link) -> str:
        return link.owner_email

    def task_values(self, link: Link, cycle: Cycle) -> dict:
        if link.kind == LinkKind.ROOM:
            room = link.room
            name = room.name or link.name or room.url
            attributes = {"room_name": name, "account_name": link.account_name,
                          "room_url": room.url, "internal_url": link.internal_url}  # fmt: skip
            subject, kind = f"Room link created: {name}", "rooms"
        else:
            document = link.document
            name = document.name or link.name or document.url
            attributes = {
                "document_name": name, "account_name": link.account_name,
                "document_url": document.url, "internal_url": link.internal_url,
                "external_url": link.external_url,
                "visitors": ", ".join(self.visitors.get(link.pk, [])),
            }  # fmt: skip
            subject, kind = f"Link created: {name}", "links"
        return {**completed_task(subject, link.shared_at or link.created_at),
                **attribute_fields(cycle, kind, attributes)}  # fmt: skip

    def prepare(self, links: list[Link]) -> None:
        """The visitors of a batch of links, oldest first, each once: one query."""
        rows = (
            Visit.objects.filter(link__in=[link.pk for link in links])
            .order_by("started_at", "pk")
            .values_list("link_id", "visitor_email", "visitor_name")
        )
        seen: dict[int, list[str]] = defaultdict(list)
        for link_id, email, name in rows:
            shown = f"{name} <{email}>" if name and email else (email or name)
            if shown and shown not in seen[link_id]:
                seen[link_id].append(shown)
        self.visitors = {
            link_id: names[:VISITORS_SHOWN]
            + ([f"and {len(names) - VISITORS_SHOWN} more"] if len(names) > VISITORS_SHOWN else [])
            for link_id, names in seen.items()
        }


class LinkHandler(ActivityHandler):
    kind = LinkTaskKind()
    push_phase = "Sending links to Salesforce"

    def enabled(self, settings) -> bool:
        return bool(settings.task_sync and (settings.sync_links or settings.sync_rooms))

    def selected(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("document", "room")

"""Sample document links, visits and sales activities for `make demo`, posted through the
same upserts the ingestion API uses, so the demo's activity Tasks, notes and unresolved
report show real work. Their seller holds a seat (only seat holders' activities are written
back). Idempotent: every sample has a fixed external id, and the seat is assigned again."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from integrations.salesforce.client import SalesforceClient
from integrations.services.seats import seat_assign
from tracking.services.activities import activities_upsert, links_upsert, visits_upsert

SELLER = "sam.seller@crmbridge-emulator.example"
PEOPLE = 8


def demo_activities_create(*, client: SalesforceClient) -> int:
    """Create the samples for some of the org's Contacts; how many records were posted."""
    seat_assign(email=SELLER)
    rows = client.query(
        "SELECT Id, Email, FirstName, LastName, Account.Name FROM Contact "
        f"WHERE Email != null AND AccountId != null ORDER BY CreatedDate LIMIT {PEOPLE}"
    )
    people = [row for row in rows if row.get("Email")]
    now = timezone.now()
    links = [_link(number, person, now) for number, person in enumerate(people[:3])]
    links.append({"external_id": "demo-room", "kind": "room", "name": "Due diligence room",
                  "url": "https://rooms.example.com/demo", "account_name": "Nobody Ltd",
                  "owner_email": SELLER, "created_at": now - timedelta(days=2)})  # fmt: skip
    links_upsert(items=links)
    visits = [_visit(number, person, now) for number, person in enumerate(people)]
    visits.append({"external_id": "demo-visit-unknown", "link_id": "demo-link-0",
                   "visitor_email": "someone@unknown.example", "company": "Unknown GmbH",
                   "started_at": now - timedelta(hours=1), "duration_seconds": 42,
                   "percent_viewed": 10, "ended": True})  # fmt: skip
    visits_upsert(items=visits)
    activities = [_activity(kind, people[index % len(people)], now, index)
                  for index, kind in enumerate(("inmail", "message", "call", "note"))]  # fmt: skip
    activities_upsert(items=activities)
    return len(links) + len(visits) + len(activities)


def _link(number: int, person: dict, now) -> dict:
    account = (person.get("Account") or {}).get("Name") or ""
    return {
        "external_id": f"demo-link-{number}", "kind": "document",
        "name": f"Product overview {number + 1}", "account_name": account,
        "url": f"https://docs.example.com/demo/{number}",
        "internal_url": f"https://app.example.com/links/{number}",
        "external_url": f"https://share.example.com/{number}",
        "owner_email": SELLER, "created_at": now - timedelta(days=3),
    }  # fmt: skip


def _visit(number: int, person: dict, now) -> dict:
    name = " ".join(part for part in (person.get("FirstName"), person.get("LastName")) if part)
    return {
        "external_id": f"demo-visit-{number}", "link_id": f"demo-link-{number % 3}",
        "visitor_email": person["Email"], "visitor_name": name,
        "started_at": now - timedelta(hours=number + 2), "duration_seconds": 60 + 37 * number,
        "percent_viewed": min(100, 20 + 10 * number), "ended": True,
        "statistics_url": f"https://app.example.com/stats/{number}",
    }  # fmt: skip


def _activity(kind: str, person: dict, now, index: int) -> dict:
    return {
        "external_id": f"demo-{kind}", "kind": kind, "author_email": SELLER,
        "contact_email": person["Email"], "subject": f"Demo {kind}",
        "body": f"A sample {kind} written back by CRM Bridge's demo.",
        "occurred_at": now - timedelta(days=index + 1),
        **({"duration_seconds": 300} if kind == "call" else {}),
    }  # fmt: skip

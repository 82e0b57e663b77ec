"""The Salesforce users who own what CRM Bridge writes: the sales user (a link's owner, an
activity's author) matched by email among the org's active Users.

Salesforce refuses an inactive owner (INACTIVE_OWNER_OR_USER), so only active users count.
Someone without a user gets none here: the write goes out with the integration user as owner
and the history says so; nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from integrations.salesforce.client import SalesforceClient
from tracking.models.keys import match_key


class Owners:
    """Active Salesforce users by email, looked up once per email in a batched query."""

    def __init__(self, client: SalesforceClient):
        self.client = client
        self.by_email: dict[str, str] = {}  # email key -> User id ("" when none)

    def load(self, emails: Iterable[str]) -> None:
        given = {match_key(email): email for email in emails if email}
        missing = given.keys() - self.by_email.keys()
        if not missing:
            return
        rows = self.client.query_in(
            "User",
            ["Id", "Email", "CreatedDate"],
            field="Email",
            values=sorted({given[key] for key in missing}),
            extra_where="IsActive = true",
        )
        for row in sorted(rows, key=lambda row: (row["CreatedDate"], row["Id"])):
            self.by_email.setdefault(match_key(row["Email"] or ""), row["Id"])
        for key in missing:
            self.by_email.setdefault(key, "")

    def user_id(self, email: str) -> str:
        """The active user with this email ("" when none, or not loaded)."""
        return self.by_email.get(match_key(email), "") if email else ""

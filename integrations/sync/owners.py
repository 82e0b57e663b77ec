"""The org's Users as owners, looked up in batches once per cycle (`Cycle.shared_one`):

- by email, active users only: the Salesforce user who owns what CRM Bridge writes for a
  local user (a link's owner, an activity's author, a contact's owner). Salesforce refuses an
  inactive owner (INACTIVE_OWNER_OR_USER), so only active users count. Someone without a
  user gets none here: the write goes out with the integration user as owner and the history
  says so; nothing is dropped.
- by id, active or not: who a Salesforce owner is (name and email), to find its local user
  and to name it in the history.

A User id may be given in its 15-character form (typed, or saved before it was checked) and
comes back from Salesforce in its 18-character one: `user_key` and `same_user` compare them.
"""

from __future__ import annotations

from collections.abc import Iterable

from integrations.salesforce.client import SalesforceClient
from tracking.models.keys import match_key

ID_FIELDS = ["Id", "Name", "Email", "IsActive"]


def user_key(user_id: str) -> str:
    """The case-sensitive 15 characters that name a User in both forms of its id."""
    return user_id[:15]


def same_user(first: str, second: str) -> bool:
    """Whether two User ids (15 or 18 characters, or empty) name the same User."""
    return user_key(first or "") == user_key(second or "")


class Owners:
    """Active Salesforce users by email and Users by id, each asked for once."""

    def __init__(self, client: SalesforceClient):
        self.client = client
        self.by_email: dict[str, str] = {}  # email key -> User id ("" when none)
        self.by_id: dict[str, dict | None] = {}  # `user_key` -> its row (None when none)

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

    def load_ids(self, user_ids: Iterable[str]) -> None:
        """Read the Users with these ids (15 or 18 characters)."""
        missing = {user_id for user_id in user_ids if user_id}
        missing = {user_id for user_id in missing if user_key(user_id) not in self.by_id}
        if not missing:
            return
        for row in self.client.query_in("User", ID_FIELDS, field="Id", values=sorted(missing)):
            self.by_id[user_key(row["Id"])] = row
        for user_id in missing:
            self.by_id.setdefault(user_key(user_id), None)

    def user(self, user_id: str) -> dict | None:
        """The User row with this id (None when there is none, or not loaded)."""
        return self.by_id.get(user_key(user_id)) if user_id else None

    def name(self, user_id: str) -> str:
        """How the history names a User: its name and id, or the id alone when unknown."""
        row = self.user(user_id)
        return f"{row['Name']} ({row['Id']})" if row and row.get("Name") else user_id

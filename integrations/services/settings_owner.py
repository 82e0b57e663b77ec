"""The fallback owner checked against the org, and the org's users to choose it from: the one
check the console's save and `crm_settings import` both use.

`fallback_owner_id` must be empty (the integration user owns what Salesforce refuses an owner
for) or an active User of the org: an inactive one would be refused just the same. It is saved
as the 18-character id the org returns, whichever form was typed, as records' owners are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from integrations.exceptions import ConfigurationError, SalesforceError
from integrations.salesforce import soql
from integrations.salesforce.client import SalesforceClient
from integrations.services.connection import salesforce_client

KEY = "fallback_owner_id"
# One query page: an org with more active users types the id of the one it wants.
MAX_USERS = 2000
NOT_CONNECTED = (
    "Salesforce is not connected, so its users are unavailable: connect Salesforce first. "
    "Until then type the user's id; it is checked when you save."
)


@dataclass(frozen=True)
class OrgUsers:
    """The org's active users (id → "Name (username)"), or why they could not be read."""

    users: dict[str, str]
    unavailable: str = ""  # empty when read from the org


def org_active_users() -> OrgUsers:
    """The connected org's active standard users by name, for the console's picker."""
    try:
        client = salesforce_client()
    except ConfigurationError:
        return OrgUsers({}, NOT_CONNECTED)
    statement = soql.select(
        "User", ["Id", "Name", "Username"], where="IsActive = true AND UserType = 'Standard'",
        order_by="Name, Id", limit=MAX_USERS,
    )  # fmt: skip
    try:
        rows = list(client.query(statement))
    except SalesforceError as error:
        reason = f"The org's users are unavailable ({error})."
        meanwhile = "Type the user's id meanwhile; it is checked when you save."
        return OrgUsers({}, " ".join(filter(None, [reason, error.hint, meanwhile])))
    return OrgUsers({row["Id"]: f"{row['Name']} ({row['Username']})" for row in rows})


@dataclass(frozen=True)
class OwnerCheck:
    """A fallback owner checked against the org: the id to save, or why it cannot be one."""

    user_id: str  # the 18-character id the org returns ("" for none, or when refused)
    problem: str | None = None


def fallback_owner_check(*, value: str, client: SalesforceClient | None = None) -> OwnerCheck:
    """Whether `value` can be the fallback owner of the org; without a client, the connected
    org's (ConfigurationError when none is). Empty needs no org."""
    if not value:
        return OwnerCheck("")
    client = client or salesforce_client()
    statement = soql.format_soql("SELECT Id, Name, IsActive FROM User WHERE Id = {}", value)
    try:
        rows = list(client.query(statement))
    except SalesforceError as error:
        reason = f"Could not read the user from Salesforce: {error}."
        return OwnerCheck("", " ".join(filter(None, [reason, error.hint])))
    if not rows:
        problem = f"The org has no user {value}: choose one of its active users, or leave it empty."
        return OwnerCheck("", problem)
    if not rows[0]["IsActive"]:
        return OwnerCheck("", (
            f"{rows[0]['Name']} ({value}) is inactive in Salesforce, which refuses inactive "
            "owners: choose an active user, or leave it empty."
        ))  # fmt: skip
    return OwnerCheck(rows[0]["Id"])

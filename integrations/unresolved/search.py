"""The Salesforce records an unresolved item could be matched to by hand.

Contacts and unconverted Leads whose email is the search term or whose name contains it, and
Accounts whose name contains it: one statement per object, all sent in one Composite call.
Every value is escaped by `format_soql`; inside LIKE its `{:like}` form also escapes `%` and
`_`, so a term matches as typed. The rows of the three statements come back as one stream;
each row's object is told by its id's key prefix, which is fixed for these standard objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from integrations.models import MappedObject
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.soql import format_soql, select

# At most this many records of each object are shown: a longer list needs a closer term.
RESULTS_PER_OBJECT = 20
KEY_PREFIXES = {"003": MappedObject.CONTACT, "00Q": MappedObject.LEAD, "001": MappedObject.ACCOUNT}


@dataclass(frozen=True)
class Candidate:
    """A Salesforce record to match to: a Contact, an unconverted Lead or an Account."""

    salesforce_object: str
    salesforce_id: str
    name: str
    email: str
    company: str  # a Contact's Account, a Lead's Company, an Account's Website


def _statement(sobject: str, term: str) -> str:
    name_contains = format_soql("Name LIKE '%{:like}%'", term)
    if sobject == MappedObject.ACCOUNT:
        fields, where = ["Id", "Name", "Website"], name_contains
    else:
        company = "Account.Name" if sobject == MappedObject.CONTACT else "Company"
        fields = ["Id", "Name", "Email", company]
        where = f"({format_soql('Email = {}', term)} OR {name_contains})"
        if sobject == MappedObject.LEAD:
            where = f"IsConverted = false AND {where}"
    return select(sobject, fields, where=where, order_by="Name", limit=RESULTS_PER_OBJECT)


def _candidate(row: dict) -> Candidate:
    sobject = KEY_PREFIXES[row["Id"][:3]]
    company = {
        MappedObject.CONTACT: (row.get("Account") or {}).get("Name"),
        MappedObject.LEAD: row.get("Company"),
        MappedObject.ACCOUNT: row.get("Website"),
    }[sobject]
    return Candidate(
        salesforce_object=sobject,
        salesforce_id=row["Id"],
        name=row.get("Name") or "",
        email=row.get("Email") or "",
        company=company or "",
    )


def salesforce_candidates(
    *, client: SalesforceClient, term: str, objects: Iterable[str]
) -> list[Candidate]:
    """The records of `objects` (Contact, Lead, Account) matching `term`: Contacts first,
    then Leads, then Accounts, each by name. Raises the client's SalesforceError."""
    statements = [_statement(sobject, term) for sobject in objects]
    rows = client.query_many(statements)
    order = {sobject: position for position, sobject in enumerate(KEY_PREFIXES.values())}
    candidates = [_candidate(row) for row in rows]
    return sorted(candidates, key=lambda candidate: order[candidate.salesforce_object])

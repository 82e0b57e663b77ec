"""Finding the Salesforce record an activity goes on: a Contact or Lead by email, else an
Account by company name (DocSend's and Sales Navigator's rule).

What the contact and account sync already linked locally answers first (the cycle's store,
then the database: a preview's contacts and companies are linked in its store only); only
the rest is
asked of Salesforce, in batched lookups (a few queries a batch however many records: never
one per record). A Contact outranks a Lead with the same email, and only unconverted Leads
count, as when contacts are matched on push.
"""

from __future__ import annotations

from dataclasses import dataclass

from integrations.salesforce.client import SalesforceClient
from integrations.sync import lookups
from integrations.sync.store import LocalStore
from tracking.choices import MatchMethod, SalesforceObject
from tracking.models import Company, Contact
from tracking.models.keys import match_key

CONTACT, LEAD = SalesforceObject.CONTACT, SalesforceObject.LEAD


@dataclass(frozen=True)
class Wanted:
    """What one record is matched by: a person's email, else a company (account) name."""

    email: str = ""
    company: str = ""


@dataclass(frozen=True)
class Match:
    """Where a record's Task goes: `who_id` a Contact or Lead, `what_id` an Account."""

    method: MatchMethod
    who_id: str = ""
    what_id: str = ""


class Matcher:
    """Matches batches of records; remembers what it found for the rest of the push."""

    def __init__(self, client: SalesforceClient, *, store: LocalStore):
        self.client, self.store = client, store
        self.people: dict[str, Match | None] = {}  # email key -> match (None: none)
        self.accounts: dict[str, Match | None] = {}  # name key -> match (None: none)

    def match_all(self, wanted: list[Wanted]) -> list[Match | None]:
        """The match of each wanted record, in order; None where nothing matches."""
        self._people({match_key(item.email): item.email for item in wanted if item.email})
        without_person = [item for item in wanted if not self._person(item)]
        self._accounts({match_key(i.company): i.company for i in without_person if i.company})
        return [self._match(item) for item in wanted]

    def _person(self, item: Wanted) -> Match | None:
        return self.people.get(match_key(item.email)) if item.email else None

    def _match(self, item: Wanted) -> Match | None:
        person = self._person(item)
        if person is not None:
            return person
        return self.accounts.get(match_key(item.company)) if item.company else None

    def _people(self, given: dict[str, str]) -> None:
        """Look up the people of these emails (by their key) not looked up before."""
        keys = given.keys() - self.people.keys()
        if not keys:
            return
        kept = self.store.linked_by_email(keys)
        local = Contact.objects.filter(
            email_key__in=keys - kept.keys(), deleted_in_salesforce=False
        ).exclude(salesforce_id="")
        fields = ("email_key", "salesforce_id", "salesforce_object", "deleted_in_salesforce")
        local = ((contact.email_key, contact) for contact in local.only(*fields))
        for key, contact in [*kept.items(), *local]:
            if not contact.salesforce_id or contact.deleted_in_salesforce:
                continue
            method = MatchMethod.CONTACT_EMAIL
            if contact.salesforce_object == LEAD:
                method = MatchMethod.LEAD_EMAIL
            self.people[key] = Match(method, who_id=contact.salesforce_id)
        for sobject, method in ((CONTACT, MatchMethod.CONTACT_EMAIL),
                                (LEAD, MatchMethod.LEAD_EMAIL)):  # fmt: skip
            missing = keys - self.people.keys()
            if not missing:
                return
            rows = lookups.rows_by_email(self.client, sobject, [], [given[k] for k in missing])
            for key, row in rows.items():
                self.people.setdefault(key, Match(method, who_id=row["Id"]))
        for key in keys - self.people.keys():
            self.people[key] = None

    def _accounts(self, given: dict[str, str]) -> None:
        """Look up the Accounts of these company names (by their key) not looked up before."""
        keys = given.keys() - self.accounts.keys()
        if not keys:
            return
        kept = self.store.linked_by_name(keys)
        local = Company.objects.filter(
            name_key__in=keys - kept.keys(), deleted_in_salesforce=False
        ).exclude(salesforce_id="")
        fields = ("name_key", "salesforce_id", "deleted_in_salesforce")
        local = ((company.name_key, company) for company in local.order_by("pk").only(*fields))
        for key, company in [*kept.items(), *local]:
            if not company.salesforce_id or company.deleted_in_salesforce:
                continue
            self.accounts.setdefault(
                key, Match(MatchMethod.ACCOUNT_NAME, what_id=company.salesforce_id)
            )
        missing = keys - self.accounts.keys()
        if missing:
            names = [given[key] for key in missing]
            for key, row in lookups.rows_by_name(self.client, "Account", [], names).items():
                self.accounts[key] = Match(MatchMethod.ACCOUNT_NAME, what_id=row["Id"])
        for key in keys - self.accounts.keys():
            self.accounts[key] = None

    def remember_lead(self, email: str, lead_id: str) -> None:
        """A Lead created for an unmatched email: later records with it go on that Lead."""
        self.people[match_key(email)] = Match(MatchMethod.LEAD_EMAIL, who_id=lead_id)

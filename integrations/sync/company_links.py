"""Contacts ↔ their local company, as Salesforce relates them (pulls only).

A pulled Contact belongs to the company linked to its AccountId; the id is kept on the
contact, so a Contact read before its Account (account sync off, or the Account not synced
yet) is linked once the Account arrives. A pulled Lead belongs to the company its Company
text names, else the one its Website's domain names, as companies are matched on the way
out. A person naming no company we know keeps the one it has, unless Salesforce puts it in
another Account.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q
from django.db.models.functions import Lower

from integrations.choices import Direction, Operation
from integrations.sync.rules.matching import (
    company_domain,
    lead_company_key,
    person_company,
    website_key,
)
from tracking.models import Company, Contact

LINK_FIELDS = ["company_record", "account_salesforce_id"]


def company_change(old: Company | None, new: Company | None) -> dict:
    """The history's entry for a contact's company link."""
    return {
        "field": "company_record",
        "old": old.name if old is not None else None,
        "new": new.name if new is not None else None,
    }


class PeopleCompanies:
    """The local companies one batch of pulled Leads or Contacts may belong to."""

    def __init__(self, sobject: str, rows: list[dict]):
        self.sobject = sobject
        accounts = {row.get(key) for row in rows for key in ("AccountId", "ConvertedAccountId")}
        accounts -= {None, ""}
        self.by_account = {
            company.salesforce_id: company
            for company in Company.objects.filter(salesforce_id__in=accounts)
        }
        self.by_name: dict[str, Company] = {}
        self.by_domain: dict[str, Company] = {}
        if sobject == "Lead":
            self._named(rows)

    def _named(self, rows: list[dict]) -> None:
        names = {lead_company_key(row) for row in rows} - {""}
        domains = {website_key(row) for row in rows} - {""}
        if not (names or domains):
            return
        companies = (
            Company.objects.annotate(name_lower=Lower("name"), domain_lower=Lower("domain"))
            .filter(Q(name_lower__in=names) | Q(domain_lower__in=domains))
            .order_by("-pk")  # the oldest of the same name is assigned last: it wins
        )
        for company in companies:
            self.by_name[company.name.strip().lower()] = company
            if company_domain(company):
                self.by_domain[company_domain(company)] = company

    def link(self, contact: Contact, row: dict) -> list[dict]:
        """Link the contact as the row says; the history's change, if the link changed."""
        old = contact.company_record
        if self.sobject == "Contact":
            contact.account_salesforce_id = row.get("AccountId") or ""
        new = person_company(
            row,
            sobject=self.sobject,
            by_account=self.by_account,
            by_name=self.by_name,
            by_domain=self.by_domain,
        )
        if new is None:
            # A company linked to another Account is not this person's any more.
            moved = self.sobject == "Contact" and old is not None and bool(old.salesforce_id)
            new = None if moved and old.salesforce_id != contact.account_salesforce_id else old
        return self._set(contact, old, new)

    def link_converted(self, contact: Contact, row: dict) -> list[dict]:
        """A converted Lead's contact belongs to the Account the Lead became part of."""
        old = contact.company_record
        contact.account_salesforce_id = row.get("ConvertedAccountId") or ""
        new = self.by_account.get(contact.account_salesforce_id) or old
        return self._set(contact, old, new)

    @staticmethod
    def _set(contact: Contact, old: Company | None, new: Company | None) -> list[dict]:
        if (old.pk if old else None) == (new.pk if new else None):
            return []
        contact.company_record = new
        return [company_change(old, new)]


def contacts_link_waiting(companies: Iterable[Company], cycle) -> None:
    """Link the contacts whose Account is one of these (now linked) companies."""
    by_account = {company.salesforce_id: company for company in companies
                  if company.salesforce_id and company.pk}  # fmt: skip
    if not by_account:
        return
    waiting = list(
        Contact.objects.filter(account_salesforce_id__in=by_account)
        .exclude(company_record__salesforce_id=F("account_salesforce_id"))
        .select_related("company_record")
    )
    for contact in waiting:
        company = by_account[contact.account_salesforce_id]
        cycle.recorder.event(
            contact,
            direction=Direction.INBOUND,
            operation=Operation.UPDATE,
            salesforce_object=contact.salesforce_object,
            salesforce_id=contact.salesforce_id,
            changes=[company_change(contact.company_record, company)],
            message="The contact's Salesforce Account is now synced: linked to its company.",
        )
        contact.company_record = company
    cycle.store.update(Contact, waiting, ["company_record"])

"""Inbound Accounts → companies: update linked ones, link by name or website, create the rest."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from integrations.choices import Direction, Operation
from integrations.models import SyncSettings
from integrations.salesforce.client import SalesforceClient
from integrations.sync.db import update_rows
from integrations.sync.fields import FieldMap, model_fields
from integrations.sync.history import Recorder
from integrations.sync.matching import company_domain
from integrations.sync.merge import BOOKKEEPING_FIELDS, apply_row, seen_already, unlink
from tracking.choices import Origin
from tracking.models import Company
from tracking.services import normalize_domain


class _Unlinked:
    """Local companies without a Salesforce link, found by name or by website domain; each
    is handed out once."""

    def __init__(self, companies):
        self.by_name = {company.name.strip().lower(): company for company in companies}
        self.by_domain = {company_domain(company): company for company in companies}
        self.by_domain.pop("", None)
        self.taken: set[int] = set()

    def take(self, row: dict) -> Company | None:
        for company in (
            self.by_name.get((row.get("Name") or "").strip().lower()),
            self.by_domain.get(normalize_domain(row.get("Website") or "")),
        ):
            if company is not None and company.pk not in self.taken:
                self.taken.add(company.pk)
                return company
        return None


def _unlinked_by_name_and_domain(rows: list[dict]) -> _Unlinked:
    names = {(row.get("Name") or "").strip().lower() for row in rows} - {""}
    domains = {normalize_domain(row.get("Website") or "") for row in rows} - {""}
    companies = (
        Company.objects.annotate(name_lower=Lower("name"), domain_lower=Lower("domain"))
        .filter(salesforce_id="")
        .filter(Q(name_lower__in=names) | Q(domain_lower__in=domains))
    )
    return _Unlinked(list(companies))


def apply_accounts(
    *,
    client: SalesforceClient,
    sobject: str,
    rows: list[dict],
    maps: list[FieldMap],
    settings: SyncSettings,
    recorder: Recorder,
) -> None:
    """Accounts → companies: update linked ones, link by name or website, create the rest."""
    ids = [row["Id"] for row in rows]
    linked = {
        company.salesforce_id: company for company in Company.objects.filter(salesforce_id__in=ids)
    }
    unlinked = _unlinked_by_name_and_domain(rows)
    now = timezone.now()
    new, touched = [], []
    for row in rows:
        company = linked.get(row["Id"])
        if row["IsDeleted"]:
            if company is not None:
                _deleted(company, row, recorder)
                touched.append(company)
            continue
        operation = Operation.UPDATE
        if company is None:
            company = unlinked.take(row)
            operation = Operation.MATCH
            if company is None:
                company = Company(name=row.get("Name") or "", origin=Origin.SALESFORCE)
                operation = Operation.CREATE
            company.salesforce_id = row["Id"]
        elif seen_already(company, row):
            continue
        apply_row(
            company, row, maps, operation=operation, sobject=sobject, recorder=recorder, now=now
        )
        (new if company.pk is None else touched).append(company)
    if new:
        Company.objects.bulk_create(new, batch_size=500)
    update_rows(Company, touched, [*model_fields(maps), *BOOKKEEPING_FIELDS])
    recorder.resolve_pending()


def _deleted(company: Company, row: dict, recorder: Recorder) -> None:
    recorder.pending(
        company,
        direction=Direction.INBOUND,
        operation=Operation.DELETE,
        salesforce_object="Account",
        salesforce_id=row["Id"],
        message="The Account was deleted in Salesforce; the link was removed.",
    )
    unlink(company)

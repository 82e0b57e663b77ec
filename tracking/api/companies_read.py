"""GET /api/v1/companies: find companies by domain or name, or list those changed since a time.

The route joins the write side's router (one path, two methods: one router).
"""

from django.http import HttpRequest
from ninja import Query

from tracking.api.companies import router
from tracking.api.cursors import page_after
from tracking.api.read import companies_out
from tracking.api.read_params import QueryError, non_blank, reject_unknown
from tracking.api.read_schemas import CompaniesPage, CompanyQuery
from tracking.api.schemas import DetailOut, ErrorOut
from tracking.selectors import companies_for_reading
from tracking.services import normalize_domain


@router.get(
    "/companies",
    response={200: CompaniesPage, 400: ErrorOut, 401: DetailOut},
    summary="Find or list companies, with their Salesforce link and sync state",
)
def companies_get(request: HttpRequest, query: Query[CompanyQuery]) -> dict:
    """Companies in the order they were last written (oldest first), a page at a time.

    `domain` (e.g. acme.com; a URL is reduced to its host) and `name` (any case) find
    companies; `updated_since` lists what changed. Follow `next_cursor` until it is null.
    """
    reject_unknown(request, CompanyQuery)
    domain = non_blank(query.domain, "domain")
    if domain is not None:
        try:
            domain = normalize_domain(domain)
        except ValueError:
            domain = ""
        if not domain:
            raise QueryError("domain", "not a valid domain name")
    companies = companies_for_reading(
        domain=domain, name=non_blank(query.name, "name"), updated_since=query.updated_since
    )
    page = page_after(companies, cursor=query.cursor, limit=query.limit)
    return {"results": companies_out(page.records), "next_cursor": page.next_cursor}

"""GET /api/v1/companies: find companies by domain or name, or list those changed since a time.

The route joins the write side's router (one path, two methods: one router).
"""

from django.http import HttpRequest
from ninja import Query

from tracking.api.companies import router
from tracking.api.cursors import page_after
from tracking.api.read import companies_out
from tracking.api.read_params import query_params_check
from tracking.api.read_schemas import CompaniesPage, CompanyQuery
from tracking.api.schemas import DetailOut, ErrorOut
from tracking.selectors import companies_for_reading


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
    query_params_check(request, CompanyQuery)
    companies = companies_for_reading(
        domain=query.domain, name=query.name, updated_since=query.updated_since
    )
    page = page_after(companies, cursor=query.cursor, limit=query.limit)
    return {"results": companies_out(page.records), "next_cursor": page.next_cursor}

"""POST /api/v1/companies: create or update companies by domain, else by name."""

import logging

from django.http import HttpRequest
from ninja import Router

from tracking.api.schemas import CompaniesIn, CompaniesOut, DetailOut, ErrorOut
from tracking.services import companies_upsert

logger = logging.getLogger(__name__)

router = Router(tags=["companies"])


@router.post(
    "/companies",
    response={200: CompaniesOut, 400: ErrorOut, 401: DetailOut, 413: DetailOut},
    summary="Create or update companies",
)
def companies_post(request: HttpRequest, payload: CompaniesIn) -> dict:
    """Upsert 1 to 1,000 companies, all or nothing.

    A company is matched by its domain (scheme, www. and path stripped; any case), else by
    its name (any case of any letter). Contacts posted later link to companies by name.

    A name must have a visible character (one of only spaces or invisible characters is
    blank). `domain` and `website` take a host name or an http(s) URL of one, in ASCII (an
    internationalised domain in its xn-- form), without spaces around it; a website without
    a scheme is stored with https://, so it has at most 247 characters.
    """
    items = [company.model_dump(exclude_unset=True) for company in payload.companies]
    results = companies_upsert(items=items)
    logger.info("API key %s upserted %d companies", request.auth, len(results))
    return {
        "results": [
            {
                "index": result.index,
                "name": result.record.name,
                "domain": result.record.domain,
                "id": result.record.pk,
                "status": result.status,
            }
            for result in results
        ]
    }

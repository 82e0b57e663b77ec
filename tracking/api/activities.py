"""POST /api/v1/links, /visits and /activities: document and activity tracking records,
each upserted by the host product's `external_id`."""

import logging
from collections.abc import Callable, Sequence

from django.http import HttpRequest
from ninja import Router

from tracking.api.activity_schemas import ActivitiesIn, ExternalResultsOut, LinksIn, VisitsIn
from tracking.api.schemas import DetailOut, ErrorOut
from tracking.services.activities import activities_upsert, links_upsert, visits_upsert

logger = logging.getLogger(__name__)

router = Router(tags=["activities"])

RESPONSES = {200: ExternalResultsOut, 400: ErrorOut, 401: DetailOut, 413: DetailOut}


@router.post("/links", response=RESPONSES, summary="Create or update links")
def links_post(request: HttpRequest, payload: LinksIn) -> dict:
    """Upsert 1 to 1,000 links to documents or rooms by `external_id`, all or nothing.

    A link's `url` names its document (kind `document`) or room (kind `room`): links with one
    URL share it, and its name is the last one given. The owner is the local user with
    `owner_email`, if there is one: that user may read the link's sync history.
    """
    return _answer(request, "links", payload.links, links_upsert)


@router.post("/visits", response=RESPONSES, summary="Create or update visits")
def visits_post(request: HttpRequest, payload: VisitsIn) -> dict:
    """Upsert 1 to 1,000 visits by `external_id`, all or nothing.

    Post a visit when it starts, again as it progresses, and when it ends: each post updates
    the same visit. `link_id` is the `external_id` of a link posted before (to `/links`, in an
    earlier request); a visit of an unknown link is refused (400 for that item).
    """
    return _answer(request, "visits", payload.visits, visits_upsert)


@router.post("/activities", response=RESPONSES, summary="Create or update activities")
def activities_post(request: HttpRequest, payload: ActivitiesIn) -> dict:
    """Upsert 1 to 1,000 sales users' InMails, messages, notes and calls by `external_id`,
    all or nothing. The author is the local user with `author_email`, if there is one."""
    return _answer(request, "activities", payload.activities, activities_upsert)


def _answer(request: HttpRequest, what: str, items: Sequence, upsert: Callable) -> dict:
    results = upsert(items=[item.model_dump(exclude_unset=True) for item in items])
    logger.info("API key %s upserted %d %s", request.auth, len(results), what)
    return {
        "results": [
            {
                "index": result.index,
                "external_id": result.record.external_id,
                "id": result.record.pk,
                "status": result.status,
            }
            for result in results
        ]
    }

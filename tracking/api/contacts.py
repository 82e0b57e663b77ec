"""POST /api/v1/contacts: create or update contacts by email."""

import logging

from django.http import HttpRequest
from ninja import Router

from tracking.api.schemas import ContactsIn, ContactsOut, DetailOut, ErrorOut
from tracking.services import contacts_upsert

logger = logging.getLogger(__name__)

router = Router(tags=["contacts"])


@router.post(
    "/contacts",
    response={200: ContactsOut, 400: ErrorOut, 401: DetailOut, 413: DetailOut},
    summary="Create or update contacts",
)
def contacts_post(request: HttpRequest, payload: ContactsIn) -> dict:
    """Upsert 1 to 1,000 contacts by email (any case), all or nothing.

    Each result says whether the contact was created, updated or unchanged (an identical
    re-post changes nothing and is not sent to Salesforce again).

    An email merged away in Salesforce updates the contact that follows the surviving
    record: it keeps its own email (the result's `email`), the other fields are written.

    Salesforce requires a last name on every Lead and Contact. A contact without one is
    accepted and kept here, but waits: it is not sent, and its sync history says "Waiting:
    needs a last name" until a later post (or an edit) gives it one. An email Salesforce
    would refuse is refused here (400): see the `email` field.
    """
    items = [contact.model_dump(exclude_unset=True) for contact in payload.contacts]
    results = contacts_upsert(items=items)
    logger.info("API key %s upserted %d contacts", request.auth, len(results))
    return {
        "results": [
            {
                "index": result.index,
                "email": result.record.email,
                "id": result.record.pk,
                "status": result.status,
            }
            for result in results
        ]
    }

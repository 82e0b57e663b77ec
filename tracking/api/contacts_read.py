"""GET /api/v1/contacts: find a contact by email, or list contacts changed since a time.

The route joins the write side's router: one path with two methods must live in one router
(django-ninja answers 405 when a path is split across routers).
"""

from django.http import HttpRequest
from ninja import Query

from tracking.api.contacts import router
from tracking.api.cursors import page_after
from tracking.api.read import contacts_out
from tracking.api.read_params import query_params_check
from tracking.api.read_schemas import ContactQuery, ContactsPage
from tracking.api.schemas import DetailOut, ErrorOut
from tracking.selectors import contacts_for_reading


@router.get(
    "/contacts",
    response={200: ContactsPage, 400: ErrorOut, 401: DetailOut},
    summary="Find or list contacts, with their Salesforce link and sync state",
)
def contacts_get(request: HttpRequest, query: Query[ContactQuery]) -> dict:
    """Contacts in the order they were last written (oldest first), a page at a time.

    `email` finds one contact (any case; an email merged away in Salesforce finds the
    contact that follows the surviving record); `updated_since` lists what changed, here or in
    Salesforce. Follow `next_cursor` until it is null.
    """
    query_params_check(request, ContactQuery)
    contacts = contacts_for_reading(email=query.email, updated_since=query.updated_since)
    page = page_after(contacts, cursor=query.cursor, limit=query.limit)
    return {"results": contacts_out(page.records), "next_cursor": page.next_cursor}

"""The ingestion API, version 1: routes, authentication, body limit and error answers."""

from ninja import NinjaAPI

from tracking.api import activities, companies, companies_read, contacts, contacts_read
from tracking.api.auth import ApiKeyAuth
from tracking.api.errors import install_error_handlers
from tracking.api.limits import reject_oversized

api = NinjaAPI(
    title="CRM Bridge ingestion API",
    version="1",
    description=(
        "The host product sends its contacts and companies here; CRM Bridge syncs them with "
        "Salesforce. It also sends its document links, their visits and its sales users' "
        "activities, each identified by the host's own `external_id`. Authenticate with "
        "`Authorization: Bearer <key>` (keys are created in the admin or with "
        "`manage.py create_api_key NAME`). Each request upserts 1 to 1,000 items and is all or "
        "nothing: invalid input (a body that is not JSON included) answers 400 listing every "
        "failing item, with its field and the reason. The items of one request must name "
        "distinct records (no email, company domain or name, or external_id twice). GET finds "
        "or lists records with their Salesforce link and sync state, a page at a time (follow "
        "`next_cursor`)."
    ),
    auth=ApiKeyAuth(),
    urls_namespace="api-v1",
)
# The GET routes join the POST routes' routers (one path, two methods: one router).
assert contacts_read.router is contacts.router
assert companies_read.router is companies.router
api.add_router("", contacts.router)
api.add_router("", companies.router)
api.add_router("", activities.router)
api.add_decorator(reject_oversized, mode="view")
install_error_handlers(api)

"""Per-record sync history pages for sales users: one view serves every synced model."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from integrations.models import SalesforceConnection
from tracking.models import Company, Contact, Opportunity
from tracking.selectors import sync_events_for_record

HISTORY_MODELS = {"contacts": Contact, "companies": Company, "opportunities": Opportunity}
PAGE_SIZE = 50


@login_required
def record_history(request, kind: str, pk: int):
    """A record's sync history; a contact's owner and staff may read it, others get 404."""
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model, pk=pk)
    owner_id = getattr(record, "owner_id", None)
    if not request.user.is_staff and (owner_id is None or owner_id != request.user.pk):
        raise Http404
    page = Paginator(sync_events_for_record(record=record), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    connection = SalesforceConnection.load()
    return render(
        request,
        "records/history.html",
        {
            "record": record,
            "kind": kind,
            "page": page,
            "instance_url": connection.instance_url,
        },
    )

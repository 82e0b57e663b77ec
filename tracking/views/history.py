"""Per-record sync history pages for sales users: one view serves every synced model."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tracking.hooks import salesforce_instance_url
from tracking.models import Company, Contact, Opportunity
from tracking.selectors import sync_events_for_record
from tracking.sync_state import sync_states_for_records

# The URL's <kind> of each synced model: the one table the page and its links use.
HISTORY_MODELS = {"contacts": Contact, "companies": Company, "opportunities": Opportunity}
PAGE_SIZE = 50


def history_url(record: Model) -> str:
    """The record's history page; `record` must be of a model in HISTORY_MODELS."""
    kind = next(kind for kind, model in HISTORY_MODELS.items() if isinstance(record, model))
    return reverse("records:history", args=[kind, record.pk])


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
    return render(
        request,
        "tracking/history.html",
        {
            "record": record,
            "kind": kind,
            "page": page,
            "instance_url": salesforce_instance_url(),
            "sync_state": sync_states_for_records(records=[record])[record.pk],
        },
    )

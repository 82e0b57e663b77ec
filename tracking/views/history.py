"""Per-record sync history pages for sales users: one view serves every synced model."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tracking.explanations import field_label
from tracking.hooks import salesforce_instance_url
from tracking.models import (
    Activity,
    Company,
    Contact,
    Document,
    Link,
    Opportunity,
    Response,
    Room,
    Visit,
)
from tracking.ownership import records_visible_to
from tracking.selectors import sync_events_for_record
from tracking.sync_state import sync_states_for_records

# The URL's <kind> of each synced model: the one table the page and its links use.
HISTORY_MODELS = {
    "contacts": Contact,
    "companies": Company,
    "opportunities": Opportunity,
    "documents": Document,
    "rooms": Room,
    "links": Link,
    "visits": Visit,
    "activities": Activity,
    "responses": Response,
}
PAGE_SIZE = 50


def history_url(record: Model) -> str:
    """The record's history page; `record` must be of a model in HISTORY_MODELS."""
    kind = next(kind for kind, model in HISTORY_MODELS.items() if isinstance(record, model))
    return reverse("records:history", args=[kind, record.pk])


@login_required
def record_history(request, kind: str, pk: int):
    """A record's sync history, for those `tracking.ownership` lets read it; others get 404."""
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(records_visible_to(model=model, user=request.user), pk=pk)
    page = Paginator(sync_events_for_record(record=record), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    for event in page.object_list:
        event.change_rows = [change_row(change, model=model) for change in event.changes]
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


def change_row(change: dict, *, model: type[Model]) -> dict:
    """One stored field change as the page shows it: the local field's name (its label
    when it is a model field) and the Salesforce field's, the same in both directions.

    Changes stored before both names were kept have one name only ("field": the local one
    inbound, the Salesforce one outbound) and show that name.
    """
    field = change.get("field", "")
    salesforce = change.get("salesforce_field", "")
    return {
        "name": field_label(model, field),
        "salesforce_field": "" if salesforce == field else salesforce,
        "old": change.get("old"),
        "new": change.get("new"),
    }

"""The unresolved activities pages: the list (and its CSV), and the manual match of one item.

Members see and match their own items (a link's owner, its visits', an activity's author);
staff everyone's; anyone else's item answers 404, as the history pages do. Salesforce
failures show as a message with their hint, never as an error page.
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from integrations.exceptions import SalesforceError
from integrations.salesforce.hints import hint_for
from integrations.services.connection import salesforce_client
from integrations.services.unresolved import (
    ManualMatchError,
    NoLongerUnresolvedError,
    activity_match_manual,
    match_objects,
)
from integrations.unresolved.export import csv_rows
from integrations.unresolved.items import (
    SOURCES,
    unresolved_entries,
    unresolved_items,
    unresolved_items_all,
)
from integrations.unresolved.search import salesforce_candidates
from integrations.views.forms import (
    SalesforcePickForm,
    SalesforceSearchForm,
    UnresolvedFilterForm,
)
from tracking.hooks import salesforce_instance_url
from tracking.ownership import records_visible_to

PAGE_SIZE = 50
LIST_URL = "activities:unresolved"


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer rows."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def unresolved_list(request):
    form = UnresolvedFilterForm(request.GET, viewer=request.user)
    if not form.is_valid():
        context = {"form": form, "page": None, "items": []}
        return render(request, "activities/unresolved.html", context, status=400)
    entries = unresolved_entries(viewer=request.user, filters=form.to_filter())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "items": unresolved_items(page.object_list)}
    return render(request, "activities/unresolved.html", context)


@login_required
@require_GET
def unresolved_csv(request):
    form = UnresolvedFilterForm(request.GET, viewer=request.user)
    if not form.is_valid():
        return render(request, "activities/unresolved.html", {"form": form}, status=400)
    entries = unresolved_entries(viewer=request.user, filters=form.to_filter())
    writer = csv.writer(_Echo())
    rows = csv_rows(unresolved_items_all(entries), absolute_url=request.build_absolute_uri)
    return StreamingHttpResponse(
        (writer.writerow(row) for row in rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="unresolved-activities.csv"'},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unresolved_match(request, source: str, pk: int):
    """Search Salesforce for the record to match the item to (GET), and pick one (POST)."""
    record = _visible_record(request.user, source, pk)
    if record.unresolved_since is None:
        messages.info(request, f"{record} is no longer unresolved: nothing to match.")
        return redirect(LIST_URL)
    if request.method == "POST":
        return _pick(request, record, source)
    form = SalesforceSearchForm(request.GET if "q" in request.GET else None,
                                initial={"q": _suggested_term(record)})  # fmt: skip
    context = {"record": record, "form": form, "objects": match_objects(record)}
    if not form.is_bound:
        return render(request, "activities/match.html", context)
    if not form.is_valid():
        return render(request, "activities/match.html", context, status=400)
    if form.cleaned_data["q"]:
        context.update(_search(form.cleaned_data["q"], match_objects(record)))
    return render(request, "activities/match.html", context)


def _pick(request, record, source: str):
    form = SalesforcePickForm(request.POST)
    if not form.is_valid():
        context = {"record": record, "form": SalesforceSearchForm(), "pick_form": form,
                   "objects": match_objects(record)}  # fmt: skip
        return render(request, "activities/match.html", context, status=400)
    sobject = form.cleaned_data["salesforce_object"]
    salesforce_id = form.cleaned_data["salesforce_id"]
    try:
        activity_match_manual(
            record=record, salesforce_object=sobject, salesforce_id=salesforce_id,
            user=request.user,
        )  # fmt: skip
    except NoLongerUnresolvedError as error:
        messages.info(request, str(error))
        return redirect(LIST_URL)
    except ManualMatchError as error:
        messages.error(request, str(error))
        return _back_to_search(source, record, form.cleaned_data["q"])
    except SalesforceError as error:
        messages.error(request, _salesforce_problem(error))
        return _back_to_search(source, record, form.cleaned_data["q"])
    messages.success(
        request,
        f"{record} matched to {sobject} {salesforce_id}: it will be written to Salesforce "
        "within seconds.",
    )
    return redirect(LIST_URL)


def _visible_record(user, source: str, pk: int):
    """The item, if `user` may see it (`tracking.ownership`: its owner or staff); anyone
    else gets 404."""
    kind = SOURCES.get(source)
    if kind is None:
        raise Http404
    visible = records_visible_to(model=kind.model, user=user)
    return get_object_or_404(visible.select_related(*kind.related), pk=pk)


def _suggested_term(record) -> str:
    """What to search for first: the visitor's or contact's email, else a company name."""
    for field in ("visitor_email", "contact_email", "company", "account_name"):
        if getattr(record, field, ""):
            return getattr(record, field)
    return ""


def _search(term: str, objects) -> dict:
    try:
        candidates = salesforce_candidates(client=salesforce_client(), term=term, objects=objects)
    except SalesforceError as error:
        return {"search_error": _salesforce_problem(error)}
    return {"candidates": candidates, "searched": term, "instance_url": salesforce_instance_url()}


def _salesforce_problem(error: SalesforceError) -> str:
    hint = error.hint or hint_for(error.code)
    return f"Salesforce could not be asked: {error.message.rstrip('.')}. {hint}".strip()


def _back_to_search(source: str, record, term: str):
    url = reverse("activities:match", args=[source, record.pk])
    return redirect(f"{url}?{urlencode({'q': term})}" if term else url)

"""The sales user's home page, where signing in lands: their contacts and companies (owned
here or by their Salesforce user, `tracking.ownership`), each with its sync state and a link
to its history, how many of their activities wait for a match, and a search by email or name.

Staff land in the settings console instead. Each list is paged on its own; a page costs the
same few queries however many records there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tracking.hooks import salesforce_user_id_of
from tracking.models import Company, Contact
from tracking.ownership import records_visible_to
from tracking.selectors import unresolved_count_for_owner
from tracking.sync_state import RecordSyncState, sync_states_for_records
from tracking.views.history import history_url

PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 254


@dataclass(frozen=True)
class HomeRow:
    record: Model
    sync_state: RecordSyncState
    history_url: str


@login_required
@require_GET
def home(request):
    """Staff go to the settings console; sales users see their own records."""
    if request.user.is_staff:
        return redirect("admin:index")
    term = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    salesforce_user_id = salesforce_user_id_of(request.user)
    contacts = records_visible_to(
        model=Contact, user=request.user, salesforce_user_id=salesforce_user_id
    )
    companies = records_visible_to(
        model=Company, user=request.user, salesforce_user_id=salesforce_user_id
    )
    if term:
        contacts = contacts.filter(_contact_matches(term))
        companies = companies.filter(Q(name__icontains=term) | Q(domain__icontains=term))
    context = {
        "term": term,
        "contacts": _page(contacts, request.GET.get("contacts_page")),
        "companies": _page(companies, request.GET.get("companies_page")),
        "unresolved": unresolved_count_for_owner(user=request.user),
        "salesforce_user_id": salesforce_user_id,
    }
    return render(request, "tracking/home.html", context)


def _contact_matches(term: str) -> Q:
    """Contacts whose email, first, last or full name contains the term, in any case."""
    condition = (
        Q(email__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
    )
    first, _, last = term.partition(" ")
    if last.strip():
        condition |= Q(first_name__icontains=first, last_name__icontains=last.strip())
    return condition


def _page(queryset: QuerySet, number: str | None) -> Page:
    """One page of the records, each as a HomeRow (its sync state, its history link)."""
    page = Paginator(queryset, PAGE_SIZE).get_page(number)
    records = list(page.object_list)
    states = sync_states_for_records(records=records)
    page.object_list = [
        HomeRow(record=record, sync_state=states[record.pk], history_url=history_url(record))
        for record in records
    ]
    return page

"""Which records the sync leaves out, and why: what tracking's sync state asks (see
tracking/hooks.py; registered in `IntegrationsConfig.ready`).

The reasons mirror what a cycle does: nothing goes out while sync is off, companies only
with account sync, contacts only when the inclusion list lets them through (the same
database filter the push uses, so the answer cannot drift from the sync's), and a contact
not yet in Salesforce only once it has a last name (the people handler waits for one).
Links, visits and activities go out as the task sync settings say (`rules.activities`), and
wait while nothing in Salesforce matches them; documents and rooms go out only inside their
links' Tasks.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Model
from django.db.models.functions import Trim

from integrations.choices import InclusionMode
from integrations.models import SyncSettings
from integrations.sync.rules.activities import off_reasons, sent_q
from integrations.sync.rules.inclusion import inclusion_q
from tracking.choices import NotSentReason
from tracking.models import Activity, Company, Contact, Document, Link, Room, Visit

ACTIVITY_MODELS = (Link, Visit, Activity)


def records_not_sent(model: type[Model], pks: Collection[int]) -> dict[int, NotSentReason]:
    """Of these records, the ones the sync does not send, by primary key, with the reason."""
    if model not in (Contact, Company, *ACTIVITY_MODELS, Document, Room):
        return {}  # other records are only read from Salesforce
    if model in (Document, Room):
        return dict.fromkeys(pks, NotSentReason.VIA_LINKS)
    settings = SyncSettings.load()
    if not settings.sync_enabled:
        return dict.fromkeys(pks, NotSentReason.SYNC_OFF)
    if model in ACTIVITY_MODELS:
        return _activities_not_sent(settings, model, pks)
    if model is Company:
        return {} if settings.account_sync else dict.fromkeys(pks, NotSentReason.ACCOUNT_SYNC_OFF)
    reasons = dict.fromkeys(_without_last_name(pks), NotSentReason.NEEDS_LAST_NAME)
    if settings.inclusion_mode != InclusionMode.NONE:
        included_q = inclusion_q(mode=settings.inclusion_mode, rules=list(settings.rules.all()))
        included = set(Contact.objects.filter(included_q, pk__in=pks).values_list("pk", flat=True))
        reasons.update(
            (pk, NotSentReason.OUTSIDE_INCLUSION_LIST) for pk in pks if pk not in included
        )
    return reasons


def _without_last_name(pks: Collection[int]) -> list[int]:
    """Contacts not in Salesforce yet that cannot be created there: no last name."""
    return list(
        Contact.objects.filter(pk__in=pks, salesforce_id="")
        .annotate(trimmed_last_name=Trim("last_name"))
        .filter(trimmed_last_name="")
        .values_list("pk", flat=True)
    )


def _activities_not_sent(settings, model, pks: Collection[int]) -> dict[int, NotSentReason]:
    """Left out by the task sync settings, or waiting for a match (retried automatically)."""
    rows = model.objects.filter(pk__in=pks)
    sent = set(rows.filter(sent_q(settings, model)).values_list("pk", flat=True))
    reasons = off_reasons(settings, model, rows.exclude(pk__in=sent))
    waiting = rows.filter(pk__in=sent, unresolved_since__isnull=False).values_list("pk", flat=True)
    reasons.update(dict.fromkeys(waiting, NotSentReason.NO_MATCH))
    return reasons

"""Which records the sync leaves out, and why: what tracking's sync state asks (see
tracking/hooks.py; registered in `IntegrationsConfig.ready`).

The reasons mirror what a cycle does: nothing goes out while sync is off, companies only
with account sync, and contacts only when the inclusion list lets them through (the same
database filter the push uses, so the answer cannot drift from the sync's).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Model

from integrations.choices import InclusionMode
from integrations.models import SyncSettings
from integrations.sync.rules.inclusion import inclusion_q
from tracking.choices import NotSentReason
from tracking.models import Company, Contact


def records_not_sent(model: type[Model], pks: Collection[int]) -> dict[int, NotSentReason]:
    """Of these records, the ones the sync does not send, by primary key, with the reason."""
    if model not in (Contact, Company):
        return {}  # other records are only read from Salesforce
    settings = SyncSettings.load()
    if not settings.sync_enabled:
        return dict.fromkeys(pks, NotSentReason.SYNC_OFF)
    if model is Company:
        return {} if settings.account_sync else dict.fromkeys(pks, NotSentReason.ACCOUNT_SYNC_OFF)
    if settings.inclusion_mode == InclusionMode.NONE:
        return {}
    included_q = inclusion_q(mode=settings.inclusion_mode, rules=list(settings.rules.all()))
    included = set(Contact.objects.filter(included_q, pk__in=pks).values_list("pk", flat=True))
    return {pk: NotSentReason.OUTSIDE_INCLUSION_LIST for pk in pks if pk not in included}

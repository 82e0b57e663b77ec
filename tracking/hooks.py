"""What tracking's pages need to know from the Salesforce side, without importing it.

The history page links every Salesforce id to the org (`<instance URL>/<id>`), but the
instance URL belongs to the Salesforce connection, and tracking never imports integrations.
So the page asks this module, and integrations registers the answer in its
`AppConfig.ready()`. A setting could not hold it (the URL is known only once someone
connects), and a context processor would put it into every page; this is one function call,
made by the one page that needs it. Without a provider the ids show as plain text.

Likewise, whether the sync leaves a record out (the inclusion list, a switch that is off) is
the sync's knowledge: `records_not_sent` asks the provider integrations registers, for a
whole page of records at once. Without a provider no record is left out.

Why a record is in its state is told in one sentence (`tracking.explanations`), and some of
its words are the sync's too: the mapping rule of each field, when the next run is due,
whether calls are paused and why, which inclusion rule left a contact out. `sync_facts`
asks the provider integrations registers, once for a page of records. Without a provider
the sentences leave those words out.

And which Salesforce user a local user is belongs to their seat, kept by integrations:
`salesforce_user_id_of` asks the provider integrations registers, so the sales users' pages
can show them the records their Salesforce user owns. Without a provider it is nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model

from tracking.choices import NotSentReason, SyncState

# (model, primary keys) → the reason for each of those records the sync leaves out.
NotSentProvider = Callable[[type[Model], Collection[int]], dict[int, NotSentReason]]


@dataclass(frozen=True)
class SyncFacts:
    """What the sync knows that explains a page of records' states, in words it chooses."""

    # (Salesforce object, field name, local or Salesforce) → its mapping rule, e.g. "two-way,
    # most recent wins"
    field_rules: Mapping[tuple[str, str], str] = field(default_factory=dict)
    next_run_at: datetime | None = None  # when the next sync run is expected
    interval_minutes: int | None = None  # how often the sync runs
    paused_until: datetime | None = None  # Salesforce calls are paused until then
    pause_reason: str = ""
    not_sent_details: Mapping[int, str] = field(default_factory=dict)  # pk → what left it out


# (model, each record's state, the not-sent reasons) → the facts those states need.
SyncFactsProvider = Callable[
    [type[Model], Mapping[int, SyncState], Mapping[int, NotSentReason]], SyncFacts
]

_instance_url_provider: Callable[[], str] | None = None
_not_sent_provider: NotSentProvider | None = None
_sync_facts_provider: SyncFactsProvider | None = None
_salesforce_user_id_provider: Callable[[Model], str] | None = None
_seat_admin_provider: Callable[[Model], bool] | None = None


def instance_url_provider_register(provider: Callable[[], str]) -> None:
    """Make `provider` the source of the Salesforce instance URL (the last one registered wins)."""
    global _instance_url_provider
    _instance_url_provider = provider


def salesforce_instance_url() -> str:
    """The connected org's base URL, e.g. https://acme.my.salesforce.com; "" when unknown."""
    return _instance_url_provider() if _instance_url_provider else ""


def not_sent_provider_register(provider: NotSentProvider) -> None:
    """Make `provider` the judge of which records the sync leaves out (the last one wins)."""
    global _not_sent_provider
    _not_sent_provider = provider


def records_not_sent(*, model: type[Model], pks: Collection[int]) -> dict[int, NotSentReason]:
    """Of these records of `model`, the ones the sync does not send, each with its reason."""
    if not pks or _not_sent_provider is None:
        return {}
    return _not_sent_provider(model, pks)


def sync_facts_provider_register(provider: SyncFactsProvider) -> None:
    """Make `provider` the source of the sync's facts for explanations (the last one wins)."""
    global _sync_facts_provider
    _sync_facts_provider = provider


def sync_facts(
    *,
    model: type[Model],
    states: Mapping[int, SyncState],
    not_sent: Mapping[int, NotSentReason],
) -> SyncFacts:
    """The sync's facts about these records (by primary key, in these states)."""
    if not states or _sync_facts_provider is None:
        return SyncFacts()
    return _sync_facts_provider(model, states, not_sent)


def salesforce_user_id_provider_register(provider: Callable[[Model], str]) -> None:
    """Make `provider` the source of a local user's Salesforce user id (the last one wins)."""
    global _salesforce_user_id_provider
    _salesforce_user_id_provider = provider


def salesforce_user_id_of(user: Model) -> str:
    """The id of the Salesforce user `user`'s seat is linked to; "" when none or unknown."""
    if _salesforce_user_id_provider is None or not getattr(user, "pk", None):
        return ""
    return _salesforce_user_id_provider(user)


def seat_admin_provider_register(provider: Callable[[Model], bool]) -> None:
    """Make `provider` the judge of whether a local user's seat is an admin seat."""
    global _seat_admin_provider
    _seat_admin_provider = provider


def holds_admin_seat(user: Model) -> bool:
    """Whether `user` holds an admin seat (role admin, or admin and member)."""
    if _seat_admin_provider is None or not getattr(user, "pk", None):
        return False
    return _seat_admin_provider(user)

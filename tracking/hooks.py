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

And which Salesforce user a local user is belongs to their seat, kept by integrations:
`salesforce_user_id_of` asks the provider integrations registers, so the sales users' pages
can show them the records their Salesforce user owns. Without a provider it is nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.db.models import Model

from tracking.choices import NotSentReason

# (model, primary keys) → the reason for each of those records the sync leaves out.
NotSentProvider = Callable[[type[Model], Collection[int]], dict[int, NotSentReason]]

_instance_url_provider: Callable[[], str] | None = None
_not_sent_provider: NotSentProvider | None = None
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

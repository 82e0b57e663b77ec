"""What tracking's pages need to know from the Salesforce side, without importing it.

The history page links every Salesforce id to the org (`<instance URL>/<id>`), but the
instance URL belongs to the Salesforce connection, and tracking never imports integrations.
So the page asks this module, and integrations registers the answer in its
`AppConfig.ready()`. A setting could not hold it (the URL is known only once someone
connects), and a context processor would put it into every page; this is one function call,
made by the one page that needs it. Without a provider the ids show as plain text.
"""

from __future__ import annotations

from collections.abc import Callable

_instance_url_provider: Callable[[], str] | None = None


def instance_url_provider_register(provider: Callable[[], str]) -> None:
    """Make `provider` the source of the Salesforce instance URL (the last one registered wins)."""
    global _instance_url_provider
    _instance_url_provider = provider


def salesforce_instance_url() -> str:
    """The connected org's base URL, e.g. https://acme.my.salesforce.com; "" when unknown."""
    return _instance_url_provider() if _instance_url_provider else ""

"""The settings console: one admin module per section."""

from integrations.admin import (  # noqa: F401
    alerts,
    connection,
    previews,
    purges,
    response_rules,
    runs,
    safe_deletes,
    seats,
    sync_settings,
    triggers,
    usage,
)

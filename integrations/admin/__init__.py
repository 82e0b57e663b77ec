"""The settings console: one admin module per section."""

from integrations.admin import (  # noqa: F401
    connection,
    purges,
    response_rules,
    runs,
    safe_deletes,
    seats,
    sync_settings,
    triggers,
    usage,
)

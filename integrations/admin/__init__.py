"""The settings console: one admin module per section."""

from integrations.admin import (  # noqa: F401
    connection,
    previews,
    purges,
    response_rules,
    runs,
    seats,
    sync_settings,
    triggers,
    usage,
)

"""The settings console: one admin module per section."""

from integrations.admin import connection, purges, runs, seats, sync_settings, usage  # noqa: F401

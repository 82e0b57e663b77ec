"""The settings console: one admin module per section."""

from integrations.admin import connection, usage  # noqa: F401

"""Bulk API 2.0 ingest jobs and their CSV."""

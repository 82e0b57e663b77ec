"""The JSON ingestion API the host product calls, mounted at /api/v1/."""

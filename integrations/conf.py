"""Code-level defaults for the Salesforce integration, in one place.

Each value can be overridden by a Django setting of the same name prefixed with
`SALESFORCE_` (tests use this to shorten back-off delays); admins change behaviour through
the models, not here.
"""

from django.conf import settings

_DEFAULTS = {
    # Highest REST API version we speak; the connection negotiates down to what the org offers.
    "API_VERSION": "62.0",
    # requests timeouts (connect, read) in seconds: simple-salesforce sets none of its own.
    "HTTP_TIMEOUT": (10, 120),
    # Bounded retries with exponential back-off and full jitter for transient failures.
    "MAX_ATTEMPTS": 5,
    "RETRY_BACKOFF": 1.0,
    "RETRY_BACKOFF_MAX": 30.0,
    # Salesforce limits.
    "COLLECTION_SIZE": 200,
    "QUERY_MAX_CHARS": 100_000,
    # Jobs with more records than this go through Bulk API 2.0 instead of collections.
    "BULK_THRESHOLD": 2_000,
    # One Bulk API 2.0 upload holds at most 150 MB; stay well below it.
    "BULK_UPLOAD_MAX_BYTES": 100_000_000,
    "BULK_POLL_INITIAL": 0.5,
    "BULK_POLL_MAX": 10.0,
    "BULK_TIMEOUT": 3_600,
    # How long the sync pauses when Salesforce says the daily request limit is exhausted.
    "LIMIT_PAUSE": 3_600,
    # Records per sync batch (matched, planned and written together); above BULK_THRESHOLD
    # a batch is written with one Bulk API 2.0 job.
    "SYNC_BATCH_SIZE": 10_000,
    # Inbound reads from this long before the watermark, so rows committed late are not missed.
    "SYNC_OVERLAP_SECONDS": 300,
    # Salesforce's clock and ours may differ by this much.
    "SYNC_CLOCK_SKEW_SECONDS": 60,
    # A sync run's lease lasts this long past its last heartbeat: a run whose process died
    # is taken over by the next run within this time.
    "SYNC_LEASE_SECONDS": 60,
    # A running sync renews its lease and heartbeat this often (a background thread), also
    # while one step takes long; keep it well below SYNC_LEASE_SECONDS.
    "SYNC_HEARTBEAT_SECONDS": 15,
    # Records per batch when imported CRM data is purged (deleted or unlinked together).
    "PURGE_BATCH_SIZE": 2_000,
    # A purge waiting for a running sync to let its lease go tries again after this many
    # seconds, doubling each time up to PURGE_RETRY_MAX, at most PURGE_MAX_ATTEMPTS times.
    "PURGE_RETRY_SECONDS": 30,
    "PURGE_RETRY_MAX": 300,
    "PURGE_MAX_ATTEMPTS": 20,
    # A survey invitation whose email failed is sent again after this many seconds, doubling
    # each time up to INVITATION_RETRY_MAX, at most INVITATION_MAX_ATTEMPTS sends in all.
    "INVITATION_RETRY_SECONDS": 60,
    "INVITATION_RETRY_MAX": 3_600,
    "INVITATION_MAX_ATTEMPTS": 6,
    # A response whose Salesforce writes failed is tried again after this many seconds,
    # doubling each time up to RESPONSE_RETRY_MAX, at most RESPONSE_MAX_ATTEMPTS times.
    "RESPONSE_RETRY_SECONDS": 60,
    "RESPONSE_RETRY_MAX": 3_600,
    "RESPONSE_MAX_ATTEMPTS": 6,
    # describe() results are cached this many seconds.
    "DESCRIBE_TTL": 3_600,
}


def get(name: str):
    """Return the configured value for `name` (see `_DEFAULTS`)."""
    return getattr(settings, f"SALESFORCE_{name}", _DEFAULTS[name])

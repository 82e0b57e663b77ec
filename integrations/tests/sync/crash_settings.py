"""Settings of the sync processes `test_crash.py` starts and kills: the project's own, with a
lease of seconds instead of a minute and small batches, so a crash lands mid-push and the
takeover comes quickly."""

from crmbridge.settings import *  # noqa: F403

SALESFORCE_SYNC_LEASE_SECONDS = 8  # long enough for a process to start on a busy machine
SALESFORCE_SYNC_HEARTBEAT_SECONDS = 0.5
SALESFORCE_SYNC_BATCH_SIZE = 5

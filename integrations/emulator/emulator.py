"""`Emulator`: a local Salesforce org served over HTTPS, for tests, benchmarks and demos.

    emulator = Emulator(latency=0.0).start()
    requests.get(f"{emulator.url}/services/data/", verify=emulator.ca_file)
    emulator.stop()

It runs in daemon threads of the current process (or as `manage.py salesforce_emulator`), holds
its data in memory (`emulator.store`), and lets tests inject latency and faults.
"""

import secrets
import shutil
import ssl
import tempfile
import threading
from pathlib import Path

from . import persistence
from .bulk import jobs as bulk
from .oauth import endpoints as oauth_endpoints
from .oauth.service import EmulatorCredentials, OAuthService
from .records.cases import close_case
from .records.seed import seed_sample_data
from .records.store import Store
from .rest import composite, composite_requests, query, replication
from .rest import sobjects as rest
from .rest.query import QueryCursors
from .server import control
from .server.certs import ensure_certificates
from .server.dispatch import Dispatcher
from .server.faults import FaultInjector
from .server.https import EmulatorHTTPServer
from .server.usage import ApiUsage
from .workflow.outbound_messages import OutboundMessages

ROUTES = [
    *replication.ROUTES,
    *rest.ROUTES,
    *query.ROUTES,
    *composite.ROUTES,
    *composite_requests.ROUTES,
    *bulk.ROUTES,
    *oauth_endpoints.ROUTES,
    *control.ROUTES,
]


class Emulator:
    def __init__(
        self,
        latency: float = 0.0,
        state_country_picklists: bool = False,
        task_external_id: bool = True,
        api_daily_max: int = 100_000,
        seed: int | None = None,
        credentials: EmulatorCredentials | None = None,
    ):
        self.latency = latency  # seconds added to every API call; settable at any time
        self.seed = seed
        # task_external_id=False: an org that has not created CRMBridge_Id__c on Activity.
        self.store = Store(
            state_country_picklists=state_country_picklists, task_external_id=task_external_id
        )
        self.credentials = credentials or EmulatorCredentials()
        self.oauth = OAuthService(self.credentials, self.store)
        self.faults = FaultInjector()
        self.usage = ApiUsage(api_daily_max)
        self.cursors = QueryCursors()
        self.jobs = bulk.BulkJobs()
        self.admin_key = secrets.token_urlsafe(24)
        self.url: str | None = None
        self.outbound_messages = OutboundMessages(self.store, lambda: self.url or "")
        self.ca_file: str | None = None
        self._server: EmulatorHTTPServer | None = None
        self._temporary_cert_dir: str | None = None

    # -- serving --------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0, cert_dir=None) -> "Emulator":
        """Serve in daemon threads; `port=0` picks a free port. Returns self.

        Without `cert_dir` the certificates go to a temporary directory removed by `stop()`."""
        if cert_dir is None:
            self._temporary_cert_dir = tempfile.mkdtemp(prefix="sf-emulator-")
        files = ensure_certificates(host, cert_dir or self._temporary_cert_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(files.cert_file, files.key_file)
        self._server = EmulatorHTTPServer((host, port), Dispatcher(self, ROUTES), context)
        self.url = f"https://{host}:{self._server.server_address[1]}"
        self.ca_file = str(files.ca_file)
        thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._temporary_cert_dir:
            shutil.rmtree(self._temporary_cert_dir, ignore_errors=True)
            self._temporary_cert_dir = None

    def __enter__(self) -> "Emulator":
        return self if self._server else self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- the org --------------------------------------------------------------------------

    @property
    def org_id(self) -> str:
        return self.store.org_id

    @property
    def integration_user_id(self) -> str:
        return self.store.integration_user_id

    @property
    def api_calls(self) -> int:
        """REST API calls received since the start or the last `reset_stats()`."""
        return self.usage.calls

    def api_calls_by_path(self, path_fragment: str) -> int:
        """REST API calls since `reset_stats()` whose path contains `path_fragment`."""
        return self.usage.calls_to(path_fragment)

    def reset_stats(self) -> None:
        self.usage.reset_calls()

    def set_api_usage(self, used: int | None = None, max: int | None = None) -> None:  # noqa: A002
        """Set the org's DailyApiRequests counters (used so far in 24 hours, and the limit)."""
        self.usage.set(used=used, max=max)

    def expire_sessions(self) -> None:
        self.oauth.expire_sessions()

    def reset(self) -> None:
        """Wipe all records back to the organization, its users and stages, and drop the
        Outbound Message rules."""
        self.outbound_messages.clear()
        self.store.reset()

    def set_state_country_picklists(self, enabled: bool) -> None:
        """Turn the org's state and country picklists on or off (wipes the records)."""
        self.store.set_state_country_picklists(enabled)

    def seed_sample_data(
        self, accounts=25, contacts=80, leads=40, opportunities=30, cases=6
    ) -> dict:
        return seed_sample_data(
            self.store, seed=self.seed, accounts=accounts, contacts=contacts, leads=leads,
            opportunities=opportunities, cases=cases,
        )  # fmt: skip

    # -- automation -----------------------------------------------------------------------

    def add_outbound_message(
        self, *, endpoint_url: str, fields: list[str], obj: str = "Case"
    ) -> str:
        """An Outbound Message rule: when a record of `obj` closes, its `fields` (and Id) are
        posted to `endpoint_url` until acknowledged. Returns the rule's id (04k…)."""
        return self.outbound_messages.add(obj=obj, endpoint_url=endpoint_url, fields=fields).rule_id

    def remove_outbound_message(self, rule_id: str) -> None:
        self.outbound_messages.remove(rule_id)

    def close_case(self, case_number: str | None = None) -> dict:
        """Close a Case as a sales rep (by CaseNumber, else the oldest open one)."""
        return close_case(self.store, case_number=case_number)

    def save_state(self, path: str | Path) -> None:
        persistence.save_state(self, path)

    def load_state(self, path: str | Path) -> None:
        persistence.load_state(self, path)

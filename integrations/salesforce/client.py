"""The one Salesforce client every feature uses.

A thin layer over simple-salesforce that owns what every call needs: session renewal on
INVALID_SESSION_ID (then one retry), bounded retries with exponential back-off and full
jitter for transient failures, the stop on exhausted API limits, per-call usage recording,
paged queries, the describe cache and typed errors. Batched writes live in
`collections.py` and `bulk.py`, and `save()` picks between them. A `read_only` client (the
sync preview's) refuses every write before it is sent, so a write the preview missed fails
loudly instead of changing the org.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

import requests
from django.core.cache import cache
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceError as VendorError

from integrations import conf
from integrations.exceptions import (
    RateLimitedError,
    SalesforceError,
    SessionExpiredError,
    TransientError,
)
from integrations.salesforce import bulk, collections, soql
from integrations.salesforce.errors import error_from_exception, error_from_response
from integrations.salesforce.http import new_session
from integrations.salesforce.results import RecordResult
from integrations.salesforce.usage import UsageGuard

logger = logging.getLogger(__name__)


class ReadOnlyClientError(RuntimeError):
    """A write was asked of a read-only client: a bug in the caller, never sent."""


# Salesforce allows at most 5 query or collections subrequests in one Composite call.
COMPOSITE_QUERIES = 5


class SalesforceClient:
    """Calls one org's REST API as one user, resiliently."""

    def __init__(
        self,
        *,
        instance_url: str,
        access_token: str,
        api_version: str,
        renew_session: Callable[[], str] | None = None,
        guard: UsageGuard | None = None,
        org_id: str = "",
        user_id: str = "",
        read_only: bool = False,
    ):
        self.instance_url = instance_url.rstrip("/")
        self.api_version = api_version
        self.org_id = org_id
        self.user_id = user_id  # the connected (integration) user
        self._renew_session = renew_session
        self._guard = guard
        self._http = new_session()
        self.sf = self._build(access_token)
        self.calls = 0  # HTTP requests this client made (each counts against the org's limit)
        self.read_only = read_only

    def _build(self, access_token: str) -> Salesforce:
        return Salesforce(
            instance_url=self.instance_url,
            session_id=access_token,
            version=self.api_version,
            session=self._http,
        )

    # -- the call loop -------------------------------------------------------------------

    def execute(self, send: Callable[[Salesforce], Any], *, idempotent: bool = True) -> Any:
        """Run one API call (`send` makes exactly one HTTP request) with all the resilience.

        `idempotent=False` (e.g. creating records) never repeats a request whose outcome is
        unknown: the caller must find out what happened (match again) instead.
        """
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            if self._guard:
                self._guard.before_call()
            try:
                result = send(self.sf)
            except SalesforceError as error:
                self._count(failed=True, reached=error.reached_salesforce)
                if isinstance(error, SessionExpiredError):
                    if renewed or self._renew_session is None:
                        raise
                    self.sf = self._build(self._renew_session())
                    renewed = True
                    attempt -= 1  # a renewal is not a failed attempt
                    continue
                if isinstance(error, RateLimitedError) and self._guard:
                    self._guard.pause(
                        resume_at=error.resume_at, code=error.code, message=error.message
                    )
                if not self._retryable(error, attempt, idempotent=idempotent):
                    raise
                self._back_off(attempt, error)
                continue
            self._count(failed=False)
            return result

    @staticmethod
    def _retryable(error: SalesforceError, attempt: int, *, idempotent: bool) -> bool:
        if not isinstance(error, TransientError) or attempt >= conf.get("MAX_ATTEMPTS"):
            return False
        return idempotent or not error.outcome_unknown

    def _count(self, *, failed: bool, reached: bool = True) -> None:
        """Count one API call; a request that never reached Salesforce is none."""
        if not reached:
            return
        self.calls += 1
        if self._guard:
            usage = self.sf.api_usage.get("api-usage")
            org_usage = (usage.used, usage.total) if usage and not failed else None
            self._guard.after_call(org_usage=org_usage, failed=failed)

    @staticmethod
    def _back_off(attempt: int, error: TransientError) -> None:
        ceiling = min(conf.get("RETRY_BACKOFF_MAX"), conf.get("RETRY_BACKOFF") * 2 ** (attempt - 1))
        delay = random.uniform(0, ceiling)  # noqa: S311 - jitter, not security
        logger.info("Salesforce %s; retry %d in %.2fs", error.code, attempt, delay)
        time.sleep(delay)

    def request(self, method: str, path: str, *, idempotent: bool = True, **kwargs: Any) -> Any:
        """A JSON REST call; `path` is relative to /services/data/vNN.N/ or absolute."""

        def send(sf: Salesforce) -> Any:
            try:
                if path.startswith("/"):
                    url = self.instance_url + path
                    response = sf.session.request(method, url, headers=sf.headers, **kwargs)
                    return _json_or_raise(sf, response)
                return sf.restful(path, method=method, **kwargs)
            except VendorError as error:
                raise error_from_response(error.status, error.content) from error
            except requests.RequestException as error:
                raise error_from_exception(error) from error

        return self.execute(send, idempotent=idempotent)

    def request_raw(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool = True,
        headers: dict | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """A non-JSON REST call (Bulk API 2.0 CSV bodies and results)."""

        def send(sf: Salesforce) -> requests.Response:
            url = path if path.startswith("https://") else sf.base_url + path
            try:
                response = sf.session.request(
                    method, url, headers={**sf.headers, **(headers or {})}, **kwargs
                )
            except requests.RequestException as error:
                raise error_from_exception(error) from error
            _remember_usage(sf, response)
            if response.status_code >= 300:
                raise error_from_response(response.status_code, _body(response))
            return response

        return self.execute(send, idempotent=idempotent)

    # -- reads ---------------------------------------------------------------------------

    def query(self, statement: str, *, include_deleted: bool = False) -> Iterator[dict]:
        """Yield every row of a SOQL query, page by page (2,000 rows at a time at most)."""
        resource = "queryAll/" if include_deleted else "query/"
        yield from self._pages(self.request("GET", resource, params={"q": statement}))

    def query_in(
        self,
        sobject: str,
        fields: Sequence[str],
        *,
        field: str,
        values: Iterable,
        extra_where: str = "",
        include_deleted: bool = False,
    ) -> Iterator[dict]:
        """Rows whose `field` is one of `values`: long IN lists go into as few statements of
        up to 100,000 characters as needed, sent five at a time in Composite calls."""
        statements = soql.select_in_chunks(
            sobject, fields, field=field, values=values, extra_where=extra_where
        )
        yield from self.query_many(statements, include_deleted=include_deleted)

    def query_many(
        self, statements: Iterable[str], *, include_deleted: bool = False
    ) -> Iterator[dict]:
        """Rows of several SOQL statements, five per Composite call (one API call each).

        The statements travel in the request body, so the URL limit does not cut them short.
        Further pages of a result are fetched over its nextRecordsUrl as usual.
        """
        resource = "queryAll" if include_deleted else "query"
        base = f"/services/data/v{self.api_version}/{resource}?"
        pending = list(statements)
        for start in range(0, len(pending), COMPOSITE_QUERIES):
            group = pending[start : start + COMPOSITE_QUERIES]
            subrequests = [
                {"method": "GET", "url": base + urlencode({"q": statement}), "referenceId": f"q{n}"}
                for n, statement in enumerate(group)
            ]
            answer = self.request(
                "POST", "composite", json={"allOrNone": False, "compositeRequest": subrequests}
            )
            for item in answer["compositeResponse"]:
                if item["httpStatusCode"] >= 300:
                    raise error_from_response(item["httpStatusCode"], item["body"])
                yield from self._pages(item["body"])

    def _pages(self, page: dict) -> Iterator[dict]:
        while True:
            for row in page["records"]:
                row.pop("attributes", None)
                yield row
            if page.get("done", True):
                return
            page = self.request("GET", page["nextRecordsUrl"])

    def limits(self) -> dict:
        return self.request("GET", "limits/")

    def describe(self, sobject: str, *, fresh: bool = False) -> dict:
        """The object's describe(), cached per org, API version and object (`fresh`: read
        it again, e.g. when a query says the org changed)."""
        key = f"sf-describe:{self.org_id}:{self.api_version}:{sobject.lower()}"
        described = None if fresh else cache.get(key)
        if described is None:
            described = self.request("GET", f"sobjects/{soql.identifier(sobject)}/describe/")
            cache.set(key, described, conf.get("DESCRIBE_TTL"))
        return described

    def fields(self, sobject: str, *, fresh: bool = False) -> dict[str, dict]:
        """The object's fields by name, from the cached describe()."""
        return {field["name"]: field for field in self.describe(sobject, fresh=fresh)["fields"]}

    # -- batched writes ------------------------------------------------------------------

    def create(self, sobject: str, records: Sequence[dict]) -> list[RecordResult]:
        self._writable("create")
        return collections.create(self, sobject, records)

    def update(self, sobject: str, records: Sequence[dict]) -> list[RecordResult]:
        self._writable("update")
        return collections.update(self, sobject, records)

    def upsert(
        self, sobject: str, external_id_field: str, records: Sequence[dict]
    ) -> list[RecordResult]:
        self._writable("upsert")
        return collections.upsert(self, sobject, external_id_field, records)

    def delete(self, ids: Sequence[str]) -> list[RecordResult]:
        self._writable("delete")
        return collections.delete(self, ids)

    def save(
        self,
        operation: str,
        sobject: str,
        records: Sequence[dict],
        *,
        external_id_field: str | None = None,
    ) -> list[RecordResult]:
        """Write records the cheapest way: collections up to the threshold, Bulk API 2.0 above.

        `operation` is insert, update, upsert or delete (delete records carry only `Id`).
        """
        self._writable(operation)
        if len(records) > conf.get("BULK_THRESHOLD"):
            return bulk.ingest(
                self, operation, sobject, records, external_id_field=external_id_field
            )
        if operation == "insert":
            return self.create(sobject, records)
        if operation == "update":
            return self.update(sobject, records)
        if operation == "upsert":
            return self.upsert(sobject, external_id_field, records)
        if operation == "delete":
            return self.delete([record["Id"] for record in records])
        raise ValueError(f"Unknown operation {operation!r}")

    def _writable(self, operation: str) -> None:
        if self.read_only:
            raise ReadOnlyClientError(f"A read-only client was asked to {operation}.")


def _body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


def _remember_usage(sf: Salesforce, response: requests.Response) -> None:
    header = response.headers.get("Sforce-Limit-Info")
    if header:
        sf.api_usage = Salesforce.parse_api_usage(header)


def _json_or_raise(sf: Salesforce, response: requests.Response) -> Any:
    _remember_usage(sf, response)
    if response.status_code >= 300:
        raise error_from_response(response.status_code, _body(response))
    return response.json() if response.content else None

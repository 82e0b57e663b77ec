"""The webhook scenarios: gunicorn (the production web server) on the bench database, driven
at a fixed rate by the open-loop generator (`http_load`).

- a stand-in: `POST /api/v1/visits` with an unknown bearer key (one key lookup, answered
  401): a fast endpoint with the webhook's shape (JSON body, bearer header, one query);
- the survey trigger webhook `/hooks/salesforce/<key>/`: a Flow HTTP callout's JSON body (a
  closed Case, a new record id per request, so each is a new delivery) with
  `Authorization: Bearer <secret>`. A 404 to a first probe means this branch has no webhook
  yet: the scenario is skipped ("webhook not available").
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import requests
from django.utils import timezone

from integrations.bench.http_load import LoadResult, open_loop_load
from integrations.bench.processes import GunicornProcess, free_port, wait_for_http
from integrations.models import SurveyTrigger
from tracking.models import Survey

RATE, SECONDS = 500, 10
WORKERS = 2


@dataclass
class Endpoint:
    """What the generator sends: the same method, path and headers, a body per request."""

    name: str
    method: str
    path: str
    headers: dict[str, str]
    body_template: dict

    def body(self, index: int) -> bytes:
        return json.dumps(self.body_template, default=str).replace("{n}", f"{index:08d}").encode()


def stand_in_endpoint() -> Endpoint:
    return Endpoint(
        name="Stand-in: POST /api/v1/visits, unknown key (401)", method="POST",
        path="/api/v1/visits", headers={"Authorization": "Bearer not-a-key",
                                        "Content-Type": "application/json"},
        body_template={"visits": []},
    )  # fmt: skip


def webhook_endpoint() -> Endpoint:
    """A trigger on closed Cases (and its survey), and a Flow callout's body for it."""
    survey, _ = Survey.objects.get_or_create(
        name="Bench CSAT",
        defaults={"email_subject": "How did we do?", "email_body": "Tell us: {survey_url}"},
    )
    trigger = SurveyTrigger.objects.create(
        name="Bench closed cases", salesforce_object="Case", email_field="Contact.Email",
        survey=survey, captured_fields=["Id", "CaseNumber"],
    )  # fmt: skip
    record = {"Id": "5000000{n}AAA", "CaseNumber": "{n}", "Status": "Closed",
              "SystemModstamp": timezone.now().isoformat(),
              "Contact": {"Email": "bench{n}@example.com"}}  # fmt: skip
    return Endpoint(
        name="Webhook: Flow callout, bearer secret", method="POST",
        path=f"/hooks/salesforce/{trigger.key}/",
        headers={"Authorization": f"Bearer {trigger.secret}", "Content-Type": "application/json"},
        body_template=record,
    )  # fmt: skip


def webhook_scenarios(*, rate: int = RATE, seconds: float = SECONDS) -> list[dict]:
    """Each endpoint's row (a skipped one says so in `result`) with gunicorn running."""
    log_dir = Path(tempfile.mkdtemp(prefix="crmbridge-bench-gunicorn-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # Persistent database connections, as the deployment docs configure them: django-q2's
    # enqueue (one per delivery) otherwise reopens the connection twice per request.
    database_url = os.environ.get("DATABASE_URL", "")
    joiner = "&" if "?" in database_url else "?"
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": "",
           "DATABASE_URL": f"{database_url}{joiner}conn_max_age=600"}  # fmt: skip
    server = GunicornProcess(port=port, workers=WORKERS, env=env, log_dir=log_dir)
    try:
        wait_for_http(f"{url}/api/v1/openapi.json", server)
        rows = []
        for endpoint in (stand_in_endpoint(), webhook_endpoint()):
            rows.append(_scenario(endpoint, url=url, rate=rate, seconds=seconds))
            server.check_running()
    finally:
        server.stop()
    shutil.rmtree(log_dir)
    return rows


def _scenario(endpoint: Endpoint, *, url: str, rate: int, seconds: float) -> dict:
    row = {"name": endpoint.name, "rate": rate, "seconds": seconds}
    probe = requests.request(
        endpoint.method, url + endpoint.path, headers=endpoint.headers,
        data=endpoint.body(rate * 1000), timeout=10,
    )  # fmt: skip
    if probe.status_code == 404:
        return {**row, "result": "webhook not available (404): skipped"}
    load = open_loop_load(
        url=url + endpoint.path, method=endpoint.method, headers=endpoint.headers,
        body=endpoint.body, rate=rate, seconds=seconds,
    )  # fmt: skip
    return {**row, "result": _summary(load), "load": load}


def _summary(load: LoadResult) -> str:
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(load.statuses.items()))
    return (
        f"p50 {load.percentile(0.50):.1f} ms, p95 {load.percentile(0.95):.1f} ms, "
        f"p99 {load.percentile(0.99):.1f} ms; {load.achieved_rate:.0f} answers/s of "
        f"{load.sent} sent ({statuses})"
    )

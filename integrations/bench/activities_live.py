"""The activity scenarios with the product running: a real task cluster (`qcluster`, django-q2's
ORM broker on the bench's SQLite file, 2 workers) and a real web server (`runserver`), visits
posted one at a time through `POST /api/v1/visits`, each post's commit enqueueing the push.

- visit → Task latency: from the POST's answer until the visit has its Task (its
  `salesforce_id` is set once the Task exists in the emulator), polled every 50 ms;
- progress posts: active visits posted again and again; the Task writes each one caused.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from django.conf import settings
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django_q.models import OrmQ
from django_q.tasks import async_task, fetch

from integrations.bench.activities import LINKS, visit_item
from integrations.bench.processes import EmulatorProcess, ManageProcess, free_port, wait_for_http
from integrations.choices import Direction, Lane, Operation, RunStatus
from integrations.models import SyncRun
from tracking.models import Contact, SyncEvent, Visit
from tracking.services import api_key_create

POLL_SECONDS = 0.05
TASK_WAIT_SECONDS = 60
RESYNC_WINDOW_SECONDS = 600  # the cadence's "at most once every 10 minutes"


class LiveProduct:
    """The task cluster and the web server against the bench database, for a `with` block:
    both are stopped when it ends, also on errors."""

    def __init__(self, emulator: EmulatorProcess):
        self.emulator = emulator
        self.processes: list[ManageProcess] = []

    def __enter__(self) -> LiveProduct:
        if "orm" not in settings.Q_CLUSTER:
            raise CommandError("Run it with `make bench`: the bench uses the ORM broker.")
        OrmQ.objects.all().delete()  # pushes queued by the scenarios run in this process
        self.log_dir = log_dir = Path(tempfile.mkdtemp(prefix="crmbridge-bench-logs-"))
        ca_file = str(self.emulator.ca_file)
        env = {**os.environ, "Q_WORKERS": "2", "REDIS_URL": "", "ALLOWED_HOSTS": "127.0.0.1",
               "SALESFORCE_CA_BUNDLE": ca_file, "REQUESTS_CA_BUNDLE": ca_file}  # fmt: skip
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.key = api_key_create(name="bench").key
        self.session = self.new_session()
        try:
            self.cluster = self._start("qcluster", env=env, log_dir=log_dir)
            self.server = self._start(
                "runserver", f"127.0.0.1:{port}", "--noreload", env=env, log_dir=log_dir
            )
            wait_for_http(f"{self.url}/api/v1/openapi.json", self.server)
            self._wait_for_cluster()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        self.stop()
        if exc_type is None:
            shutil.rmtree(self.log_dir)
        else:
            sys.stderr.write(f"The task cluster's and the web server's logs: {self.log_dir}\n")

    def _start(self, *arguments: str, env: dict, log_dir: Path) -> ManageProcess:
        process = ManageProcess(*arguments, env=env, log_dir=log_dir)
        self.processes.append(process)
        return process

    def _wait_for_cluster(self) -> None:
        """Until a worker has run a push (nothing is due: it returns at once)."""
        task_id = async_task("integrations.tasks.salesforce_activities_push_task")
        deadline = time.monotonic() + TASK_WAIT_SECONDS
        while time.monotonic() < deadline:
            self.cluster.check_running()
            task = fetch(task_id)
            if task is not None:
                if not task.success:
                    raise CommandError(f"The cluster's first push failed: {task.result}")
                return
            time.sleep(POLL_SECONDS)
        raise CommandError(f"The task cluster ran nothing:\n{self.cluster.log_tail()}")

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes = []

    def post_visit(self, item: dict, *, session: requests.Session | None = None) -> None:
        body = json.dumps({"visits": [item]}, cls=DjangoJSONEncoder)
        response = (session or self.session).post(
            f"{self.url}/api/v1/visits", data=body, timeout=30,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        if response.status_code != 200:
            raise CommandError(f"POST /api/v1/visits: {response.status_code} {response.text}")

    def new_session(self) -> requests.Session:
        """A client session with the bench's API key (one per thread: sessions are not
        shared between threads)."""
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.key}"
        return session

    def check_running(self) -> None:
        for process in self.processes:
            process.check_running()


def visit_to_task_latency(product: LiveProduct, *, contacts: list[Contact]) -> dict:
    """Visits posted one at a time; for each, the seconds until its Task exists. Each visitor
    is new to the link, whose Task (listing its visitors) is updated in the same push."""
    before = product.emulator.api_calls()
    started = time.perf_counter()
    latencies = []
    for index, contact in enumerate(contacts):
        external_id = f"latency-{index}"
        product.post_visit(
            visit_item(external_id, contact, link=(index + 1) % LINKS, started_at=timezone.now())
        )
        answered = time.perf_counter()
        _wait_for_task(product, external_id)
        latencies.append(time.perf_counter() - answered)
    seconds = time.perf_counter() - started
    calls = product.emulator.api_calls() - before
    p50, p95 = _percentile(latencies, 50), _percentile(latencies, 95)
    return {
        "name": "Visit → Task latency, task cluster running", "records": len(contacts),
        "calls": calls, "seconds": seconds, "per_1000": 1000 * calls / len(contacts),
        "per_second": len(contacts) / seconds,
        "result": f"p50 {p50:.2f} s, p95 {p95:.2f} s, slowest {max(latencies):.2f} s",
    }  # fmt: skip


def progress_posts(
    product: LiveProduct, *, contacts: list[Contact], posts: int, clients: int
) -> dict:
    """Each contact's visit posted `posts` times (started, then progressing, never ended),
    round after round, by `clients` concurrent clients (the visitors view at the same time;
    one visit's posts stay in order); the Task writes per visit once the cluster has pushed
    them all."""
    before = product.emulator.api_calls()
    started = time.perf_counter()
    started_at = timezone.now()
    visitors = list(enumerate(contacts))
    slices = [visitors[start::clients] for start in range(clients)]

    def post_slice(visitors: list[tuple[int, Contact]]) -> None:
        session = product.new_session()
        for index, contact in visitors:
            item = visit_item(f"progress-{index}", contact, link=(index + 2) % LINKS,
                              started_at=started_at)  # fmt: skip
            product.post_visit(item, session=session)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(posts):
            list(pool.map(post_slice, slices))  # a round ends before the next begins
    span = time.perf_counter() - started
    visits = _wait_until_pushed(product, "progress-", len(contacts))
    seconds = time.perf_counter() - started
    calls = product.emulator.api_calls() - before
    writes = SyncEvent.objects.filter(
        content_type__model="visit", object_id__in=[visit.pk for visit in visits],
        direction=Direction.OUTBOUND, operation__in=[Operation.CREATE, Operation.UPDATE],
    ).count()  # fmt: skip
    windows = max(1, math.ceil(span / RESYNC_WINDOW_SECONDS))
    per_visit = writes / len(visits) / windows
    records = posts * len(contacts)
    return {
        "name": f"{records:,} progress posts of {len(visits)} active visits", "records": records,
        "calls": calls, "seconds": seconds, "per_1000": 1000 * calls / records,
        "per_second": records / seconds,
        "result": f"{per_visit:.2f} writes per visit per 10 minutes ({writes} Task writes; "
        f"posts over {span:.0f} s by {clients} clients)",
    }  # fmt: skip


def _wait_for_task(product: LiveProduct, external_id: str) -> None:
    deadline = time.monotonic() + TASK_WAIT_SECONDS
    while time.monotonic() < deadline:
        if Visit.objects.filter(external_id=external_id).exclude(salesforce_id="").exists():
            return
        product.check_running()
        time.sleep(POLL_SECONDS)
    raise CommandError(f"No Task for visit {external_id} after {TASK_WAIT_SECONDS} s.")


def _wait_until_pushed(product: LiveProduct, prefix: str, count: int) -> list[Visit]:
    """Until the queue is empty, no push runs and all `count` visits have their Task."""
    deadline = time.monotonic() + TASK_WAIT_SECONDS
    while time.monotonic() < deadline:
        visits = list(
            Visit.objects.filter(external_id__startswith=prefix).exclude(salesforce_id="")
        )
        running = SyncRun.objects.filter(
            lane=Lane.ACTIVITIES, status__in=[RunStatus.PENDING, RunStatus.RUNNING]
        )
        if len(visits) == count and not OrmQ.objects.exists() and not running.exists():
            return visits
        product.check_running()
        time.sleep(POLL_SECONDS)
    raise CommandError(
        f"The cluster had not pushed the {prefix}* visits after {TASK_WAIT_SECONDS} s."
    )


def _percentile(values: list[float], percent: int) -> float:
    """Nearest rank: the smallest value with `percent` % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * percent / 100) - 1, 0)]

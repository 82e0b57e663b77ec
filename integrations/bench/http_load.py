"""An open-loop HTTP load generator: requests sent on a fixed schedule (`rate` per second for
`seconds`), whatever the answers' pace, so a slow server shows as latency instead of as a
lower send rate (a closed loop would wait and hide it).

Each request's latency counts from its scheduled send time, so time spent waiting for a free
sender counts too. Threads with one `requests` session each send; the result gives the
latency percentiles, the achieved rate (answers per second over the whole run) and the
statuses.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

SENDERS = 64
TIMEOUT_SECONDS = 10


@dataclass
class LoadResult:
    sent: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    @property
    def achieved_rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """The nearest-rank percentile of the answered requests' latencies, in ms."""
        ordered = sorted(self.latencies_ms)
        return ordered[max(math.ceil(share * len(ordered)) - 1, 0)] if ordered else math.nan


def open_loop_load(
    *, url: str, method: str = "GET", headers: dict[str, str] | None = None,
    body: Callable[[int], bytes] | None = None, rate: int, seconds: float,
    senders: int = SENDERS,
) -> LoadResult:  # fmt: skip
    """Send `rate * seconds` requests, the n-th at start + n / rate; `body(n)` its body."""
    total = int(rate * seconds)
    local = threading.local()
    lock = threading.Lock()
    result = LoadResult(sent=total, seconds=0.0)
    start = time.perf_counter() + 0.5  # time for the senders to start

    def send(index: int) -> None:
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        if not hasattr(local, "session"):
            local.session = requests.Session()
        try:
            response = local.session.request(
                method, url, headers=headers, timeout=TIMEOUT_SECONDS,
                data=body(index) if body else None, allow_redirects=False,
            )  # fmt: skip
            status = str(response.status_code)
        except requests.RequestException as error:
            status = type(error).__name__
        latency = (time.perf_counter() - scheduled) * 1000
        with lock:
            result.statuses[status] += 1
            if status[0].isdigit():
                result.latencies_ms.append(latency)

    with ThreadPoolExecutor(max_workers=senders) as pool:
        list(pool.map(send, range(total)))
    result.seconds = time.perf_counter() - start
    return result

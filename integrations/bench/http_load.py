"""An open-loop HTTP load generator: requests sent on a fixed schedule (`rate` per second for
`seconds`), whatever the answers' pace, so a slow server shows as latency instead of as a
lower send rate (a closed loop would wait and hide it).

Each request's latency counts from its scheduled send time. It is written with asyncio and
plain HTTP/1.1 over sockets (one connection per request, `Connection: close`, as gunicorn's
sync workers answer), so the generator costs a small part of a core at hundreds of requests
a second: on a 2-core machine it shares with the server under test, a heavier client (a
thread pool of `requests` sessions) measured its own overhead more than the server.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
) -> LoadResult:  # fmt: skip
    """Send `rate * seconds` requests, the n-th at start + n / rate; `body(n)` its body."""
    return asyncio.run(_load(url, method, headers or {}, body, rate, seconds))


async def _load(url, method, headers, body, rate, seconds) -> LoadResult:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    total = int(rate * seconds)
    result = LoadResult(sent=total, seconds=0.0)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2

    async def send(index: int, scheduled: float) -> None:
        payload = body(index) if body else b""
        request = (
            f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
            f"Content-Length: {len(payload)}\r\n{head}\r\n"
        ).encode() + payload
        try:
            status = await asyncio.wait_for(_exchange(host, port, request), TIMEOUT_SECONDS)
        except (OSError, TimeoutError) as error:
            status = type(error).__name__
        result.statuses[status] += 1
        if status[0].isdigit():
            result.latencies_ms.append((loop.time() - scheduled) * 1000)

    tasks = []
    for index in range(total):
        scheduled = start + index / rate
        await asyncio.sleep(max(0.0, scheduled - loop.time()))
        tasks.append(asyncio.create_task(send(index, scheduled)))
    await asyncio.gather(*tasks)
    result.seconds = loop.time() - start
    return result


async def _exchange(host: str, port: int, request: bytes) -> str:
    """One request on its own connection; the answer's status code."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        answer = await reader.read()  # to the end: the server closes the connection
    finally:
        writer.close()
    return answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "bad answer"

"""Injected failures, so tests can watch the product survive what Salesforce does to it.

Each fault hits the next `times` API calls whose path contains `path_contains` (any call when
None) and, when `method` is given, that use this HTTP method. Kinds:

- "503": HTTP 503 SERVER_UNAVAILABLE.
- "lock": UNABLE_TO_LOCK_ROW; on a collections or bulk write the first `records` records of the
  call fail and are not applied, on any other write the call fails with HTTP 400.
- "session_expired": every access token becomes invalid (401 INVALID_SESSION_ID); refresh
  tokens keep working.
- "limit_exceeded": HTTP 403 REQUEST_LIMIT_EXCEEDED.
- "disconnect_after_apply": the write is applied, then the connection is closed unanswered.
- "delay_after_apply": the write is applied, then its answer comes `seconds` late (a client
  that dies meanwhile never learns what Salesforce committed).
- "delay": the answer comes `seconds` late.
- "missing": HTTP 404 NOT_FOUND, as from a Salesforce-compatible endpoint that lacks the
  resource (e.g. the versions list or /limits).
"""

import threading
from dataclasses import asdict, dataclass

KINDS = frozenset(
    {
        "503",
        "lock",
        "session_expired",
        "limit_exceeded",
        "disconnect_after_apply",
        "delay_after_apply",
        "delay",
        "missing",
    }
)


@dataclass
class Fault:
    kind: str
    remaining: int
    path_contains: str | None = None
    records: int = 1
    seconds: float = 0.0
    method: str | None = None

    def applies_to(self, path: str, method: str | None) -> bool:
        return (self.path_contains is None or self.path_contains in path) and (
            self.method is None or self.method == method
        )


class FaultInjector:
    """The pending faults; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(self, kind: str, times: int = 1, path_contains: str | None = None,
               records: int = 1, seconds: float = 0.0,
               method: str | None = None) -> None:  # fmt: skip
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(KINDS)}")
        with self._lock:
            self._faults.append(Fault(kind, times, path_contains, records, seconds, method))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, kind: str, path: str, method: str | None = None) -> Fault | None:
        """Consume one occurrence of the first pending fault of `kind` matching the call."""
        with self._lock:
            for fault in self._faults:
                if fault.kind == kind and fault.applies_to(path, method):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict]:
        with self._lock:
            return [asdict(fault) for fault in self._faults]

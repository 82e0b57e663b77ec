"""API request counters: the org's rolling 24-hour DailyApiRequests (`used` of `max`, what the
limit and `Sforce-Limit-Info` enforce and report) and, for tests and benchmarks, every REST
call received since the last `reset_calls()`, also by path."""

import threading
from collections import Counter


class ApiUsage:
    def __init__(self, daily_max: int):
        self._lock = threading.Lock()
        self.used = 0
        self.max = daily_max
        self._calls: Counter[str] = Counter()

    def record_call(self, path: str) -> None:
        with self._lock:
            self._calls[path] += 1

    def try_use(self) -> bool:
        """Count one call against the daily limit; False (nothing counted) once it is reached."""
        with self._lock:
            if self.used >= self.max:
                return False
            self.used += 1
            return True

    @property
    def calls(self) -> int:
        with self._lock:
            return sum(self._calls.values())

    def calls_to(self, path_fragment: str) -> int:
        """Calls whose path contains `path_fragment`."""
        with self._lock:
            return sum(n for path, n in self._calls.items() if path_fragment in path)

    def set(self, *, used: int | None = None, max: int | None = None) -> None:
        with self._lock:
            self.used = self.used if used is None else used
            self.max = self.max if max is None else max

    def reset_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def header(self) -> str:
        return f"api-usage={self.used}/{self.max}"

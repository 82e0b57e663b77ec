"""The processes the benchmark starts: the emulator, `manage.py` commands (the task cluster,
the development web server) and gunicorn, with their output in a log file. Each stops with
bounded waits, killed (its whole process group) when it does not stop in time."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from django.conf import settings
from django.core.management.base import CommandError

STOP_SECONDS = 20
LOG_TAIL_CHARS = 3_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage_command(*arguments: str) -> list[str]:
    return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments]


class EmulatorProcess:
    """An emulator process driven through its control API."""

    def __init__(self, latency_ms: int):
        self.port = free_port()
        self.cert_dir = Path(tempfile.mkdtemp(prefix="crmbridge-bench-"))
        self.process = subprocess.Popen(
            manage_command("salesforce_emulator", "--port", str(self.port),
                           "--latency", str(latency_ms), "--cert-dir", str(self.cert_dir)),
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.key = self._read_admin_key()
        self.url = f"https://127.0.0.1:{self.port}"
        self.ca_file = self.cert_dir / "ca.pem"
        os.environ["REQUESTS_CA_BUNDLE"] = str(self.ca_file)

    def _read_admin_key(self) -> str:
        for line in self.process.stdout:
            if "admin key" in line:
                return line.rsplit(" ", 1)[-1].strip()
        raise CommandError("The emulator did not start.")

    def control(self, method: str, path: str, **body):
        response = requests.request(
            method, f"{self.url}/_emulator/{path}", json=body or None, timeout=600,
            headers={"Authorization": f"Bearer {self.key}"},
        )  # fmt: skip
        response.raise_for_status()
        return response.json() if response.content else None

    def api_calls(self) -> int:
        return self.control("GET", "stats")["api_calls"]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.cert_dir, ignore_errors=True)


class LoggedProcess:
    """A command in its own process group, its output in the log file `<name>.log`."""

    def __init__(self, name: str, command: list[str], *, env: dict[str, str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise CommandError(
                f"`{self.name}` stopped (exit {self.process.returncode}):\n{self.log_tail()}"
            )

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-LOG_TAIL_CHARS:]

    def stop(self) -> None:
        """SIGINT (what Ctrl-C sends: the cluster stops its workers); then whatever of its
        process group is left, or all of it after the wait, is killed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the group has ended
        self.process.wait(timeout=STOP_SECONDS)


class ManageProcess(LoggedProcess):
    """`manage.py <arguments>`, named after the command."""

    def __init__(self, *arguments: str, env: dict[str, str], log_dir: Path):
        super().__init__(arguments[0], manage_command(*arguments), env=env, log_dir=log_dir)


class GunicornProcess(LoggedProcess):
    """The production web server (`gunicorn crmbridge.wsgi`) on 127.0.0.1:`port`."""

    def __init__(self, *, port: int, workers: int, env: dict[str, str], log_dir: Path):
        command = [
            str(Path(sys.executable).with_name("gunicorn")), "crmbridge.wsgi",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--chdir", str(settings.BASE_DIR), "--log-level", "warning",
        ]  # fmt: skip
        super().__init__("gunicorn", command, env=env, log_dir=log_dir)


def wait_for_http(url: str, process: LoggedProcess, *, seconds: float = 60) -> None:
    """Until something answers at `url` (any status), or fail with the process's log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        process.check_running()
        try:
            requests.get(url, timeout=2)
            return
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy
            time.sleep(0.2)
    raise CommandError(f"`{process.name}` did not answer at {url}:\n{process.log_tail()}")

"""`manage.py salesforce_emulator` as a separate process: serve, stop on SIGTERM, keep data,
and the org options it takes."""

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from integrations.emulator import EmulatorCredentials

MANAGE_PY = Path(__file__).resolve().parents[3] / "manage.py"


def _start(tmp_path, *extra):
    command = [sys.executable, str(MANAGE_PY), "salesforce_emulator", "--port", "0",
               "--state-file", str(tmp_path / "state.json"), "--cert-dir", str(tmp_path / "certs"),
               *extra]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    banner = []
    for line in process.stdout:
        banner.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    return process, "".join(banner)


def _stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return output


def test_command_serves_and_keeps_data_across_restarts(tmp_path):
    process, banner = _start(tmp_path, "--seed-sample-data", "--latency", "1")
    url = re.search(r"listening on (https://\S+)", banner).group(1)
    ca_file = re.search(r"REQUESTS_CA_BUNDLE\): (\S+)", banner).group(1)
    versions = requests.get(f"{url}/services/data/", verify=ca_file, timeout=10)
    stop_output = _stop(process)
    saved = json.loads((tmp_path / "state.json").read_text())

    restarted, second_banner = _start(tmp_path)
    _stop(restarted)

    assert versions.status_code == 200
    assert "admin key" in banner
    assert "Saved the emulator's data" in stop_output
    assert len(saved["store"]["records"]["Account"]) >= 25
    assert "data restored from" in second_banner
    assert process.returncode == 0


def test_command_can_serve_an_org_without_the_task_external_id(tmp_path):
    process, banner = _start(tmp_path, "--no-task-external-id")
    try:
        url = re.search(r"listening on (https://\S+)", banner).group(1)
        ca_file = re.search(r"REQUESTS_CA_BUNDLE\): (\S+)", banner).group(1)
        fields = _described_task_fields(url, ca_file)
    finally:
        _stop(process)

    assert "CRMBridge_Id__c" not in fields
    assert "Percent_Viewed__c" in fields


def _described_task_fields(url: str, ca_file: str) -> set[str]:
    credentials = EmulatorCredentials()
    login = {
        "grant_type": "password",
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
        "username": credentials.username,
        "password": credentials.password + credentials.security_token,
    }
    token = requests.post(f"{url}/services/oauth2/token", data=login, verify=ca_file, timeout=10)
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    described = requests.get(f"{url}/services/data/v62.0/sobjects/Task/describe",
                             headers=headers, verify=ca_file, timeout=10)  # fmt: skip
    return {field["name"] for field in described.json()["fields"]}

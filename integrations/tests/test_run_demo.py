"""`make demo` (run_demo) makes the emulator's CA trusted for the project's own commands."""

import os
import subprocess
import sys
from pathlib import Path

import certifi
from django.conf import settings

from integrations.emulator import EmulatorCredentials
from integrations.management.commands.run_demo import demo_trust_emulator

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _manage(*args, env):
    return subprocess.run([sys.executable, MANAGE, *args], env=env, capture_output=True,
                          text=True, timeout=60, cwd=settings.BASE_DIR)  # fmt: skip


def test_the_demo_writes_a_trust_bundle_into_the_env_file(emulator, tmp_path):
    # given: a .env as make_env writes it, with the variable only mentioned in a comment
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=x\n# SALESFORCE_CA_BUNDLE=/path/to/ca.pem\nLOG_LEVEL=INFO\n")
    ca_file = tmp_path / "emulator" / "ca.pem"
    ca_file.parent.mkdir()
    ca_file.write_text(Path(emulator.ca_file).read_text())
    # when: twice, as every `make demo` does
    demo_trust_emulator(ca_file=ca_file, env_file=env_file)
    bundle = demo_trust_emulator(ca_file=ca_file, env_file=env_file)
    # then: one setting, pointing at the public CAs plus the emulator's
    lines = env_file.read_text().splitlines()
    assert [line for line in lines if line.startswith("SALESFORCE_CA_BUNDLE=")] == [
        f"SALESFORCE_CA_BUNDLE={bundle}"
    ]
    assert lines[:3] == ["SECRET_KEY=x", "# SALESFORCE_CA_BUNDLE=/path/to/ca.pem", "LOG_LEVEL=INFO"]
    trusted = bundle.read_text()
    assert Path(certifi.where()).read_text().strip() in trusted
    assert ca_file.read_text().strip() in trusted


def test_a_command_in_a_fresh_process_reaches_the_emulator_without_setting_anything(
    emulator, tmp_path
):
    # given: the demo's .env, and a shell whose REQUESTS_CA_BUNDLE names the public CAs only
    # (as on many machines), which do not include the emulator's
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=INFO\n")
    demo_trust_emulator(ca_file=Path(emulator.ca_file), env_file=env_file)
    env = {name: value for name, value in os.environ.items() if name != "SALESFORCE_CA_BUNDLE"}
    env["REQUESTS_CA_BUNDLE"] = certifi.where()
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DJANGO_SETTINGS_MODULE="integrations.tests.env_file_settings",
        CRMBRIDGE_TEST_ENV_FILE=str(env_file),
    )
    assert _manage("migrate", "--no-input", "-v", "0", env=env).returncode == 0
    credentials = EmulatorCredentials()
    # when
    connected = _manage(
        "salesforce_connect", "--login-url", emulator.url,
        "--client-id", credentials.client_id, "--client-secret", credentials.client_secret,
        "--username", credentials.username, "--password", credentials.password,
        "--security-token", credentials.security_token, env=env,
    )  # fmt: skip
    # then
    assert connected.returncode == 0, connected.stderr
    assert emulator.org_id in connected.stdout
    assert "SSL" not in connected.stderr

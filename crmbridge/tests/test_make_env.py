"""`scripts/make_env.py`: the `.env` that `make demo` / `make test` start with."""

import runpy
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def written_env(tmp_path) -> dict[str, str]:
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    runpy.run_path(str(ROOT / "scripts" / "make_env.py"))["main"](root=tmp_path)
    lines = (tmp_path / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_demo_runs_without_debug_pages(tmp_path):
    env = written_env(tmp_path)

    assert env["DEBUG"] == "false"
    # the demo is served over plain HTTP on 127.0.0.1: cookies cannot be HTTPS-only there
    assert env["SESSION_COOKIE_SECURE"] == env["CSRF_COOKIE_SECURE"] == "false"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["FIELD_ENCRYPTION_KEY"]


def test_an_existing_env_is_never_overwritten(tmp_path):
    (tmp_path / ".env").write_text("SECRET_KEY=mine\n")

    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    runpy.run_path(str(ROOT / "scripts" / "make_env.py"))["main"](root=tmp_path)

    assert (tmp_path / ".env").read_text() == "SECRET_KEY=mine\n"

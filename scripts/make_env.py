"""Create `.env` from `.env.example` with fresh random keys (never overwrites an existing .env)."""

import secrets
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    target = ROOT / ".env"
    if target.exists():
        return
    generated = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DEBUG": "true",
    }
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={generated[name]}" if name in generated else line)
    target.write_text("\n".join(lines) + "\n")
    target.chmod(0o600)


if __name__ == "__main__":
    main()

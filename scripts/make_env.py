"""Create `.env` from `.env.example` with fresh random keys (never overwrites an existing .env).

The result is for the demo and the tests: DEBUG stays off (no debug pages), and since the demo
is served over plain HTTP on 127.0.0.1, its cookies are not limited to HTTPS.
"""

import secrets
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def main(root: Path = ROOT) -> None:
    target = root / ".env"
    if target.exists():
        return
    generated = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DEBUG": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
    }
    lines = []
    for line in (root / ".env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={generated[name]}" if name in generated else line)
    target.write_text("\n".join(lines) + "\n")
    target.chmod(0o600)


if __name__ == "__main__":
    main()

"""Saving and loading the org's data (records, recycle bin, refresh tokens) as JSON, so a demo
emulator keeps its data across restarts. Datetimes and dates are tagged to survive the trip."""

import json
import os
from datetime import date, datetime
from pathlib import Path

from .records.values import parse_datetime

FORMAT_VERSION = 1


def save_state(emulator, path: str | Path) -> None:
    """Write the state atomically (a crash mid-write leaves the previous file intact)."""
    state = {
        "version": FORMAT_VERSION,
        "store": emulator.store.export_state(),
        "refresh_tokens": emulator.oauth.export_grants(),
        "api_usage": {"used": emulator.usage.used, "max": emulator.usage.max},
    }
    target = Path(path)
    temporary = target.with_suffix(target.suffix + ".tmp")
    temporary.write_text(json.dumps(state, default=_encode), encoding="utf-8")
    os.replace(temporary, target)


def load_state(emulator, path: str | Path) -> None:
    state = json.loads(Path(path).read_text(encoding="utf-8"), object_hook=_decode)
    if state.get("version") != FORMAT_VERSION:
        raise ValueError(f"unsupported emulator state file version: {state.get('version')}")
    emulator.store.import_state(state["store"])
    emulator.oauth.import_grants(state["refresh_tokens"])
    emulator.usage.set(**state["api_usage"])


def _encode(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot save {type(value).__name__} in the emulator state")


def _decode(obj: dict):
    if len(obj) == 1 and "$datetime" in obj:
        return parse_datetime(obj["$datetime"])
    if len(obj) == 1 and "$date" in obj:
        return date.fromisoformat(obj["$date"])
    return obj

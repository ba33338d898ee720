"""The profile remembered between starts (a small JSON file in the config folder)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from simulator.report.atomic import write_atomic
from simulator.store.location import config_dir


def _file() -> Path:
    return config_dir() / "profile.json"


def remembered() -> str | None:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("trainee") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def remember(name: str) -> None:
    path = _file()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"trainee": name}, ensure_ascii=False) + "\n")

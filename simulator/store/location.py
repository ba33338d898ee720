"""Where the store lives: ``--db URL``, else ``CALLDRILL_DB``, else a SQLite file in the
user's data folder (``calldrill locate`` prints it)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir


def data_dir() -> Path:
    return Path(os.environ.get("CALLDRILL_DATA") or user_data_dir("calldrill", appauthor=False))


def config_dir() -> Path:
    return Path(os.environ.get("CALLDRILL_CONFIG") or user_config_dir("calldrill", appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "calldrill.sqlite3"


def resolve_url(url: str | None = None) -> str:
    """The database URL to use; a bare path is taken as a SQLite file."""
    chosen = url or os.environ.get("CALLDRILL_DB")
    if not chosen:
        return f"sqlite:///{default_db_path()}"
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    return chosen


def describe(url: str) -> str:
    """The URL with any password hidden, for printing."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(url).render_as_string(hide_password=True)

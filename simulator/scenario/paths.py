"""Where the bundled scenarios live."""

from __future__ import annotations

import os
from pathlib import Path


def bundled_dir() -> Path:
    """The scenarios shipped with calldrill (CALLDRILL_SCENARIOS overrides it, for tests)."""
    env = os.environ.get("CALLDRILL_SCENARIOS")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parent.parent
    installed = package / "_bundled"
    return installed if installed.is_dir() else package.parent / "scenarios"

"""SVG snapshots of the History and Progress screens (pytest-textual-snapshot), over a
store filled by the real recorder on a fixed clock, shown in UTC.

Regenerate after an intended change:
`.venv/bin/pytest tests/test_snapshots_store.py --snapshot-update`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator.store.profile import remember
from simulator.tui.app import CalldrillApp
from tests.history_data import seed
from tests.test_snapshots import fixture_library

SIZE = (100, 30)

Snap = Callable[..., bool]


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC here, so the listed times are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, utc: None
) -> Callable[[str], CalldrillApp]:
    monkeypatch.setenv("CALLDRILL_CONFIG", str(tmp_path / "config"))
    url = f"sqlite:///{tmp_path / 'calldrill.sqlite3'}"
    lib = fixture_library()
    seed(url, lib)
    remember("王小明")

    def make(lang: str) -> CalldrillApp:
        return CalldrillApp(lib, lang, seed=3, still=True, store_url=url)  # type: ignore[arg-type]

    return make


def opened(key: str) -> Callable[[Any], Any]:
    async def run_before(pilot: Any) -> None:
        for _ in range(100):
            if pilot.app.trainee is not None:
                break
            await pilot.pause(0.05)
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()

    return run_before


SCREENS = [("history", "f4"), ("progress", "f5")]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "key"), SCREENS)
def test_store_screen_snapshot(
    snap_compare: Snap, store_app: Callable[[str], CalldrillApp], lang: str, name: str, key: str
) -> None:
    assert snap_compare(store_app(lang), terminal_size=SIZE, run_before=opened(key))


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
@pytest.mark.parametrize(("name", "key"), SCREENS)
def test_store_screens_at_small_and_large_sizes(
    snap_compare: Snap,
    store_app: Callable[[str], CalldrillApp],
    size: tuple[int, int],
    name: str,
    key: str,
) -> None:
    assert snap_compare(store_app("zh"), terminal_size=size, run_before=opened(key))

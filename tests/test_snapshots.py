"""SVG snapshots of each screen at 100×30 in both languages (pytest-textual-snapshot).

Regenerate after an intended change: `.venv/bin/pytest tests/test_snapshots.py --snapshot-update`.
The library is built from the test fixtures only, so adding bundled scenarios does not
change these pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from simulator.scenario.library import Library, bundled_dir, load_scenario, load_support
from simulator.tui.app import CalldrillApp
from tests.conftest import FIXTURES

SIZE = (100, 30)


def fixture_library() -> Library:
    tags, rubric, personas = load_support(bundled_dir())
    lib = Library(bundled_dir(), tags, rubric, personas)
    for path in sorted((FIXTURES / "valid").glob("*.yaml")):
        sc = load_scenario(path, tags, personas)
        lib.scenarios[sc.id] = sc
    return lib


def app_for(lang: str) -> CalldrillApp:
    return CalldrillApp(fixture_library(), lang, seed=3, still=True)  # type: ignore[arg-type]


TO_BRIEFING = [*"doc-example", "enter"]
TO_CALL = [*TO_BRIEFING, "p", "2"]
TO_DEBRIEF = [*TO_BRIEFING, "p", "2", "1", "2", "enter"]

Snap = Callable[..., bool]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("library", []),
        ("briefing", TO_BRIEFING),
        ("call", TO_CALL),
        ("debrief", TO_DEBRIEF),
        ("filter-picker", ["tab", "right", "enter"]),
    ],
)
def test_screen_snapshot(snap_compare: Snap, lang: str, name: str, keys: list[str]) -> None:
    app = app_for(lang)

    async def settle(pilot: Any) -> None:
        await pilot.pause()

    assert snap_compare(app, press=keys, terminal_size=SIZE, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_call_screen_at_small_and_large_sizes(snap_compare: Snap, size: tuple[int, int]) -> None:
    """Chinese text wraps in place and nothing is cut off at 80×24 or stretched at 200×60."""
    app = app_for("zh")

    async def settle(pilot: Any) -> None:
        await pilot.pause()

    assert snap_compare(app, press=TO_CALL, terminal_size=size, run_before=settle)

"""The app with a real store (a SQLite file): the profile at start, every reply saved,
resume after the app went away mid-call, and best scores in the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.store.store import Store
from simulator.tui.app import CalldrillApp
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.library import LibraryScreen
from simulator.tui.screens.profile import ProfileScreen
from tests.conftest import FIXTURES
from tests.test_tui import SIZE, number_of, open_scenario, play_best

PAYLOAD = "[@click=app.quit]x[/] \x1b]0;pwned\x07"


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(bundled_dir(), [FIXTURES / "valid"])


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CALLDRILL_CONFIG", str(tmp_path / "config"))
    return f"sqlite:///{tmp_path / 'calldrill.sqlite3'}"


def app_with(lib: Library, db: str) -> CalldrillApp:
    return CalldrillApp(lib, "en", seed=3, still=True, store_url=db)


async def wait_for(pilot: object, check: object, tries: int = 100) -> None:
    for _ in range(tries):
        if check():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("the app never got there")


async def test_profile_then_every_reply_saved_and_best_score(lib: Library, db: str) -> None:
    app = app_with(lib, db)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ProfileScreen) and app.screen.query("#profile-name"),
        )
        name = app.screen.query_one("#profile-name", Input)
        name.focus()
        await pilot.press(*PAYLOAD.replace("\x1b", "").replace("\x07", ""), "enter")
        await wait_for(pilot, lambda: app.trainee is not None)
        assert app.trainee is not None and "[@click" in app.trainee.name
        await open_scenario(pilot, app, "doc-example")
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.recorded is not None
        await pilot.press(number_of(screen, screen.call.choices[0].id))
        await pilot.pause()
        with Store(db) as store:
            (open_attempt,) = store.open_attempts(app.trainee.id)
            assert len(open_attempt.turns) == 1
        await play_best(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        with Store(db) as store:
            assert store.open_attempts(app.trainee.id) == []
            assert store.count_attempts() == 1
        assert "doc-example" in app.best
        await pilot.press("b")
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen)
        table = library.query_one("#library-table", DataTable)
        shown = table.get_cell("doc-example", "col_best")
        assert str(shown) == f"{app.best['doc-example']:g}"
        # In view at 100 columns, not pushed off by the skills column.
        columns = table.ordered_columns
        before = [c.key.value for c in columns].index("col_best")
        best_at = sum(c.get_render_width(table) for c in columns[:before])
        assert best_at + 4 < SIZE[0]
    assert (Path(db.removeprefix("sqlite:///")).parent / "config" / "profile.json").exists()


async def test_resume_after_the_app_went_away(lib: Library, db: str) -> None:
    first = app_with(lib, db)
    async with first.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(first.screen, ProfileScreen))
        await pilot.press(*"Chen", "enter")
        await wait_for(pilot, lambda: first.trainee is not None)
        await open_scenario(pilot, first, "doc-example")
        await pilot.press("e")  # exam mode
        await pilot.pause()
        screen = first.screen
        assert isinstance(screen, CallScreen)
        await pilot.press("2")
        await pilot.pause()
        before = screen.call.snapshot()
        shown = [c.id for c in screen.call.choices]
    # The app stopped without leaving the call: the next start offers it back.
    second = app_with(lib, db)
    async with second.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(second.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(second.screen, CallScreen))
        screen = second.screen
        assert isinstance(screen, CallScreen)
        assert screen.mode == "exam"
        assert screen.call.snapshot() == before
        assert [c.id for c in screen.call.choices] == shown
        assert not screen.query("#call-hint")  # still exam mode: no hints
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(second.screen, LibraryScreen)
        table = second.screen.query_one("#library-table", DataTable)
        assert table.row_count > 0
    with Store(db) as store:
        me = store.trainee("Chen", create=False)
        assert store.open_attempts(me.id) == []  # left on purpose: not offered again

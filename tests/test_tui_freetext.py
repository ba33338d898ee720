"""Free-text mode in the app: typed replies understood, scored as said, asked back when
not understood, nothing shown in exam mode, nothing interpreted, and kept on resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.tui.app import CalldrillApp
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.profile import ProfileScreen
from tests.conftest import FIXTURES, best_pick, run_cli
from tests.test_tui import SIZE, make_app, open_scenario, transcript_text
from tests.test_tui_store import wait_for

TABOO = " It's not my problem though."


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(bundled_dir(), [FIXTURES / "valid"])


async def start_free_text(pilot: object, app: CalldrillApp, mode_key: str) -> CallScreen:
    await open_scenario(pilot, app, "doc-example")
    await pilot.press("t")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert app.free_text
    label = str(app.screen.query_one("#briefing-free-text", Static).render())
    assert app.tr("free_text_on") in label
    await pilot.press(mode_key)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, CallScreen) and screen.free_text
    assert not screen.query_one("#call-choices").display  # the list is not offered
    return screen


async def type_reply(pilot: object, screen: CallScreen, text: str) -> None:
    field = screen.query_one("#call-typed", Input)
    field.focus()
    field.value = text
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def feedback_text(screen: CallScreen) -> str:
    return str(screen.query_one("#call-feedback", Static).render())


def best_text(screen: CallScreen, lang: str = "en") -> str:
    state = screen.scenario.states[screen.call.state]
    return state.choice(best_pick(screen.call)).text.get(lang)  # type: ignore[arg-type]


async def type_to_the_end(pilot: object, screen: CallScreen) -> None:
    for _ in range(40):
        if screen.call.finished:
            return
        await type_reply(pilot, screen, best_text(screen))
    raise AssertionError("the call did not end")


async def test_typed_reply_understood_and_scored_as_said(lib: Library) -> None:
    app = make_app(lib)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_free_text(pilot, app, "p")
        call = screen.call
        state = call.state
        best = best_pick(call)
        typed = best_text(screen) + TABOO
        await pilot.press("1")  # digits go into the field, never pick from the list
        await pilot.pause()
        assert call.turns == []
        await type_reply(pilot, screen, typed)
        (turn,) = call.turns
        assert turn.choice == best and turn.extra["typed"] == typed
        assert "forbidden-phrase" in turn.tags
        # The same choice picked by number earns more: the taboo words cost points.
        picked = call.plot.points[(state, best)]
        assert sum(turn.points.values()) < sum(picked.values())
        assert typed in transcript_text(screen)
        shown = feedback_text(screen)
        assert "Understood as" in shown and "similarity" in shown
        assert "“not my problem”" in shown and "Better phrasing" in shown
        assert screen.query_one("#call-typed", Input).value == ""
        await type_to_the_end(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        row = debrief.data["review"][0]
        assert row["typed"]["typed"] == typed
        assert row["typed"]["understood_as"]["id"] == best
        assert any(r["matched"] == "not my problem" for r in row["typed"]["rules"])
        cells = [str(c) for c in debrief.query_one("#debrief-review", DataTable).get_row_at(0)]
        assert f"You typed: “{typed}”" in cells[1] and "Understood as" in cells[1]
        assert cells[3].startswith("Better phrasing: ") and "not my problem" in cells[4]


async def test_below_the_threshold_the_customer_asks_and_patience_drops(lib: Library) -> None:
    app = make_app(lib)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_free_text(pilot, app, "p")
        call = screen.call
        before = call.mood
        await type_reply(pilot, screen, "banana tractor")
        assert call.turns == []  # no turn taken
        assert call.mood["patience"] == before["patience"] - 5
        assert call.mood["trust"] == before["trust"]
        said = transcript_text(screen)
        assert "banana tractor" in said and app.tr("misunderstood_line") in said
        shown = feedback_text(screen)
        assert "did not understand" in shown
        assert call.choices[0].text.get("en") in shown  # practice: the replies to compare
        await type_to_the_end(pilot, screen)
        first = call.turns[0]
        assert first.mood_before == before  # the miss belongs to the first turn
        assert first.extra["misses"][0]["typed"] == "banana tractor"
        await pilot.press("enter")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert debrief.data["misunderstood"] == 1
        assert debrief.data["review"][0]["misunderstood"] == ["banana tractor"]
        summary = str(debrief.query_one("#debrief-summary", Static).render())
        assert app.tr("misunderstood_count", n=1) in summary


async def test_exam_free_text_shows_no_feedback(lib: Library) -> None:
    app = make_app(lib)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_free_text(pilot, app, "e")
        await type_reply(pilot, screen, "banana tractor")
        assert not screen.query_one("#call-feedback", Static).has_class("shown")
        assert app.tr("misunderstood_line") in transcript_text(screen)
        causes = [str(w.render()) for w in screen.query(".mood-cause")]
        assert all(not c.strip() for c in causes), causes
        await type_reply(pilot, screen, best_text(screen) + TABOO)
        assert len(screen.call.turns) == 1
        assert not screen.query_one("#call-feedback", Static).has_class("shown")
        assert not screen.query_one("#call-choices").display


async def test_markup_and_escapes_typed_are_shown_literally(lib: Library) -> None:
    app = make_app(lib)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_free_text(pilot, app, "p")
        await type_reply(pilot, screen, "[@click=app.quit]x[/] [b]\x1b]0;pwned\x07bold")
        assert app.is_running and isinstance(app.screen, CallScreen)
        said = transcript_text(screen)
        assert "[@click=app.quit]x[/] [b]" in said and "\x1b" not in said
        assert "\x07" not in said and "]0;pwnedbold" in said
        assert screen.call.turns == []


async def test_language_toggle_keeps_the_typed_transcript(lib: Library) -> None:
    app = make_app(lib, "zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_free_text(pilot, app, "p")
        typed = best_text(screen, "zh") + "不过这不归我管。"
        await type_reply(pilot, screen, typed)
        assert "不归我管" in feedback_text(screen)
        await pilot.press("f2")
        await pilot.pause()
        assert typed in transcript_text(screen)
        assert "“不归我管”" in feedback_text(screen)


async def test_resume_after_a_typed_reply_keeps_what_was_typed(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLDRILL_CONFIG", str(tmp_path / "config"))
    db = f"sqlite:///{tmp_path / 'calldrill.sqlite3'}"
    first = CalldrillApp(lib, "en", seed=3, still=True, store_url=db)
    async with first.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(first.screen, ProfileScreen))
        await pilot.press(*"Chen", "enter")
        await wait_for(pilot, lambda: first.trainee is not None)
        screen = await start_free_text(pilot, first, "p")
        assert screen.recorded is not None
        typed = best_text(screen) + TABOO
        await type_reply(pilot, screen, "banana tractor")
        await type_reply(pilot, screen, typed)
        before = screen.call.snapshot()
        assert len(screen.call.turns) == 1
    second = CalldrillApp(lib, "en", seed=3, still=True, store_url=db)
    async with second.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(second.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(second.screen, CallScreen))
        resumed = second.screen
        assert isinstance(resumed, CallScreen)
        screen = resumed
        assert screen.free_text  # a call with typed replies resumes typed
        assert screen.call.snapshot()["mood"] == before["mood"]
        (turn,) = screen.call.turns
        assert turn.extra["typed"] == typed and "forbidden-phrase" in turn.tags
        assert len(turn.extra["misses"]) == 1  # the miss came back with its cost
        # Drawn once the screen has mounted (under load that can trail the push).
        await wait_for(pilot, lambda: typed in transcript_text(screen))
        await pilot.pause()


def test_briefing_binding_has_an_id_and_a_description() -> None:
    (binding,) = [
        b
        for b in BriefingScreen.BINDINGS
        if isinstance(b, Binding) and b.action == "toggle_free_text"
    ]
    assert binding.id == "briefing.free-text" and binding.description


def test_cli_play_free_text_types_replies() -> None:
    typed = "Hello, customer service, this is Chen. Which charge is it? Not my problem though."
    doc = str(FIXTURES / "valid" / "doc-example.yaml")
    result = run_cli("play", doc, "--free-text", stdin=f"banana tractor\n{typed}\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Sorry, what do you mean?" in out and "similarity" in out
    assert "Understood as: Hello, customer service, this is Chen." in out
    assert "Forbidden phrase “not my problem”" in out.replace("Not my", "not my")
    assert "Left the call unfinished." in out
    exam = run_cli("play", doc, "--free-text", "--mode", "exam", stdin=f"{typed}\nq\n")
    assert exam.returncode == 0 and "Understood as" not in exam.stdout
    wrong = run_cli("play", doc, "--free-text", "--replies", "1")
    assert wrong.returncode == 2 and "--free-text is interactive" in wrong.stderr
    assert "Traceback" not in wrong.stderr

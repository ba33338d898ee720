"""The Textual app driven by key presses through Textual's own Pilot."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.tui.app import CalldrillApp
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.filter_picker import FilterPicker
from simulator.tui.screens.library import LibraryScreen
from simulator.tui.widgets.filter_bar import Filter, FilterBar
from simulator.tui.widgets.transcript import Utterance
from tests.conftest import FIXTURES, best_pick

SIZE = (100, 30)
PAYLOAD = "[@click=app.quit]quit[/] [/] [bold]bold"


@pytest.fixture(scope="module")
def tui_library() -> Library:
    return load_library(bundled_dir(), [FIXTURES / "valid"])


def make_app(lib: Library, lang: str = "en", **kwargs: object) -> CalldrillApp:
    return CalldrillApp(lib, lang, seed=3, still=True, **kwargs)  # type: ignore[arg-type]


async def open_scenario(pilot: object, app: CalldrillApp, query: str) -> None:
    await pilot.press(*query)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, BriefingScreen)


async def start_call(pilot: object, app: CalldrillApp, query: str, mode: str = "p") -> CallScreen:
    """Open a scenario from the library and start it: `p` practice, `e` exam."""
    await open_scenario(pilot, app, query)
    await pilot.press(mode)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, CallScreen)
    return screen


def number_of(screen: CallScreen, choice_id: str) -> str:
    return str([c.id for c in screen.call.choices].index(choice_id) + 1)


async def play_best(pilot: object, screen: CallScreen) -> None:
    for _ in range(40):
        if screen.call.finished:
            return
        await pilot.press(number_of(screen, best_pick(screen.call)))  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    raise AssertionError("the call did not end")


def transcript_text(screen: CallScreen) -> str:
    return "\n".join(str(u.render()) for u in screen.query(Utterance))


async def test_practice_call_from_library_to_debrief(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LibraryScreen)
        screen = await start_call(pilot, app, "doc-example")
        assert screen.practice
        await play_best(pilot, screen)
        assert screen.query_one("#call-feedback", Static).has_class("shown")
        await pilot.press("enter")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert debrief.score.passed and debrief.score.total == 100
        total = str(debrief.query_one("#score-total", Static).render())
        assert "Total 100/100" in total and "passed" in total
        review = debrief.query_one("#debrief-review", DataTable)
        assert review.row_count == len(debrief.call.turns) == 3
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_exam_mode_shows_no_hint_feedback_or_undo(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app, "doc-example", "e")
        assert not screen.practice
        assert not screen.query("#call-hint")
        await pilot.press("h", "u")
        await pilot.press(number_of(screen, "blame-her"))
        await pilot.pause()
        assert len(screen.call.turns) == 1  # undo did nothing
        assert not screen.query_one("#call-feedback", Static).has_class("shown")
        causes = [str(w.render()) for w in screen.query(".mood-cause")]
        assert all(not c.strip() for c in causes), causes
        bindings = {
            b.binding.action
            for b in screen.active_bindings.values()
            if screen.check_action(b.binding.action, ()) is not False
        }
        assert "hint" not in bindings and "undo" not in bindings
        await play_best(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("w")  # no rewind in exam mode
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_hint_names_the_skill_not_the_answer(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app, "doc-example")
        await pilot.press("h")
        await pilot.pause()
        hint = str(screen.query_one("#call-hint", Static).render())
        assert "Proper greeting" in hint and "Open question" in hint
        for choice in screen.call.choices:
            assert choice.text.en not in hint


async def test_undo_takes_back_the_last_reply(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app, "doc-example")
        before = transcript_text(screen)
        mood = screen.call.mood
        await pilot.press(number_of(screen, "blame-her"))
        await pilot.pause()
        assert screen.call.state == "upset" and "attitude" in transcript_text(screen)
        await pilot.press("u")
        await pilot.pause()
        assert screen.call.state == "opening" and screen.call.turns == []
        assert screen.call.mood == mood
        assert transcript_text(screen) == before


async def test_leaving_mid_call_asks_first(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await start_call(pilot, app, "doc-example")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_language_toggle_relabels_every_screen(tui_library: Library) -> None:
    app = make_app(tui_library, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        search = app.screen.query_one("#library-search", Input)
        assert search.placeholder.startswith("输入")
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "en"
        assert app.screen.query_one("#library-search", Input).placeholder.startswith("Type")
        screen = await start_call(pilot, app, "doc-example")
        await pilot.press(number_of(screen, "greet-and-ask"))
        await pilot.pause()
        assert "Customer: " in transcript_text(screen)
        await pilot.press("f2")
        await pilot.pause()
        text = transcript_text(app.screen)  # type: ignore[arg-type]
        assert "客户：" in text and "你：" in text and "Customer" not in text
        assert len(app.screen.query(Utterance)) == 3
        feedback = str(app.screen.query_one("#call-feedback", Static).render())
        assert "本轮得分" in feedback


async def test_filters_and_search(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        everything = len(screen.matching())
        await pilot.press(*"zzzz-nothing")
        await pilot.pause()
        assert screen.matching() == []
        assert screen.query_one("#library-empty", Static).display
        await pilot.press("escape")
        await pilot.pause()
        assert len(screen.matching()) == everything


async def pick_in_filter(pilot: object, app: CalldrillApp, value: str) -> None:
    """In the open filter picker, move to ``value`` by arrow keys and press Enter."""
    picker = app.screen
    assert isinstance(picker, FilterPicker)
    options = picker.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    steps = ids.index(value) - (options.highlighted or 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_persona_difficulty_and_skill_filters_by_keyboard(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        everything = screen.matching()
        table = screen.query_one("#library-table", DataTable)
        bar = screen.query_one(FilterBar)
        # Skills are offered in the tags file's order (greeting first), not by id.
        skills = [value for _, value in screen.filter_options("skill")[1:]]
        assert skills == [k for k in app.index.tag_names if k in skills]
        assert skills != sorted(skills) and skills[0] == "greeting"
        await pilot.press("tab")  # from the search box to the filters
        assert app.focused is bar
        await pilot.press("enter")
        await pilot.pause()
        await pick_in_filter(pilot, app, "angry")
        assert isinstance(app.screen, LibraryScreen)
        angry = screen.matching()
        assert angry and len(angry) < len(everything)
        assert {s.persona.id for s in angry} == {"angry"}
        assert table.row_count == len(angry)
        assert "Angry customer ▾" in str(bar.render())
        await pilot.press("right", "enter")
        await pilot.pause()
        await pick_in_filter(pilot, app, "advanced")
        both = screen.matching()
        assert both and {(s.persona.id, s.difficulty) for s in both} == {("angry", "advanced")}
        # Escape leaves the filter as it was.
        await pilot.press("right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FilterPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.matching() == both
        # "All …" takes a filter off again.
        await pilot.press("left", "left", "enter")
        await pilot.pause()
        await pick_in_filter(pilot, app, "*")
        await pilot.press("right", "enter")
        await pilot.pause()
        await pick_in_filter(pilot, app, "*")
        assert screen.matching() == everything and table.row_count == len(everything)
        assert str(bar.render()).startswith("All personas ▾   All levels ▾")


async def test_a_filter_opens_by_mouse_and_survives_a_language_switch(
    tui_library: Library,
) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        everything = screen.matching()
        bar = screen.query_one(FilterBar)
        shown = str(bar.render())
        await pilot.click(FilterBar, offset=(shown.index("All skills") + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, FilterPicker)
        await pick_in_filter(pilot, app, "yes-step-3")
        skilled = screen.matching()
        assert skilled and all("yes-step-3" in s.skills for s in skilled)
        assert len(skilled) < len(everything)
        assert screen.query_one("#library-table", DataTable).row_count == len(skilled)
        await pilot.press("f2")
        await pilot.pause()
        assert screen.chosen["skill"] == "yes-step-3" and screen.matching() == skilled
        shown = str(screen.query_one(FilterBar).render())
        assert "全部客户类型 ▾" in shown and "All skills" not in shown
        # Escape clears the search first, and pressed again, the filters.
        await pilot.press("a", "escape")
        await pilot.pause()
        assert screen.chosen["skill"] == "yes-step-3"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.chosen["skill"] == "*" and screen.matching() == everything


async def test_filter_names_are_shown_literally_and_a_click_runs_nothing() -> None:
    from textual.app import App, ComposeResult  # noqa: PLC0415

    payload = "[@click=app.quit]x[/] [b]\x1b]0;pwned\x07"
    opened: list[str] = []

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield FilterBar([Filter("persona", payload, True), Filter("skill", "[/]", False)])

        def on_filter_bar_opened(self, event: FilterBar.Opened) -> None:
            opened.append(event.key)

    app = One()
    async with app.run_test(size=SIZE) as pilot:
        shown = str(app.query_one(FilterBar).render())
        assert "[@click=app.quit]x[/] [b]" in shown and "[/] ▾" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        await pilot.click(FilterBar, offset=(1, 0))
        await pilot.pause()
        assert app.is_running and opened == ["persona"]


async def test_untrusted_text_is_shown_literally_and_runs_nothing(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app, "markup-text")
        line = screen.query(Utterance).first()
        shown = str(line.render())
        assert PAYLOAD in shown and "\x1b" not in shown and "\x07" not in shown
        await pilot.click(line)  # a link would run app.quit
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CallScreen)


async def test_pasted_escape_sequences_are_removed_from_input(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        search = app.screen.query_one("#library-search", Input)
        search.insert_text_at_cursor("doc\x1b]0;pwned\x07\x1b[2J")
        await pilot.pause()
        assert "\x1b" not in search.value and "\x07" not in search.value
        assert search.value.startswith("doc")


async def test_help_panel_opens_with_f1(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("f1")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


def test_every_binding_has_an_id_and_a_description() -> None:
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    import simulator.tui  # noqa: PLC0415

    # Every app, screen and widget of ours: any module under simulator/tui.
    owners: set[type[Any]] = {ConfirmScreen, FilterBar}
    for info in pkgutil.walk_packages(simulator.tui.__path__, "simulator.tui."):
        module = importlib.import_module(info.name)
        owners |= {
            v
            for v in vars(module).values()
            if isinstance(v, type) and v.__module__ == info.name and "BINDINGS" in vars(v)
        }
    assert len(owners) > 20
    for owner in owners:
        for binding in owner.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id, (owner.__name__, binding.key)
            assert binding.description, (owner.__name__, binding.key)


async def test_a_bundled_scenario_plays_to_the_end_by_keys(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_call(pilot, app, "angry-delivery")
        await play_best(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen) and debrief.score.passed


async def test_debrief_tabs_show_loop_phases_language_and_mood(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app, "doc-example")
        for cid in ("blame-her", "argue"):
            await pilot.press(number_of(screen, cid))
            await pilot.pause()
        assert screen.call.outcome == "customer-hung-up"  # patience ran out
        await pilot.press("enter")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        from textual.widgets import TabbedContent  # noqa: PLC0415

        tabs = debrief.query_one("#debrief-tabs", TabbedContent)
        await pilot.press("right")
        await pilot.pause()
        assert tabs.active == "tab-loop"
        loops = str(debrief.query_one("#debrief-loops", Static).render())
        assert "A complete loop could sound like this" in loops
        await pilot.press("right")
        await pilot.pause()
        phases = str(debrief.query_one("#debrief-phases", Static).render())
        assert "Opening: missed" in phases
        assert "turn 1 · Blames the customer" in phases and "Say instead" in phases
        await pilot.press("right")
        await pilot.pause()
        assert tabs.active == "tab-mood"
        assert debrief.query("#debrief-mood-chart")
        moves = str(debrief.query_one("#debrief-moves", Static).render())
        assert moves.startswith("turn 1: Patience -15 you blamed them")


async def test_rewind_and_branch_from_the_review(tui_library: Library) -> None:
    app = make_app(tui_library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app, "doc-example")
        for cid in ("blame-her", "apologise", "paraphrase", "firm-date"):
            await pilot.press(number_of(screen, cid))
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        original = debrief.score.total
        from textual.widgets import TabbedContent  # noqa: PLC0415

        debrief.query_one("#debrief-tabs", TabbedContent).active = "tab-review"
        await pilot.pause()
        table = debrief.query_one("#debrief-review", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("w")
        await pilot.pause()
        from simulator.tui.screens.rewind import RewindScreen  # noqa: PLC0415

        rewind = app.screen
        assert isinstance(rewind, RewindScreen)
        await pilot.pause()
        result = str(rewind.query_one("#rewind-result", Static).render())
        assert "Customer: Some" in result and "was -11" in result
        await pilot.press("c")
        await pilot.pause()
        call_screen = app.screen
        assert isinstance(call_screen, CallScreen)
        assert [t.choice for t in call_screen.call.turns] == ["greet-and-ask"]
        assert call_screen.call.state == "check"
        await play_best(pilot, call_screen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.screen.score.total > original


async def test_command_palette_offers_each_screens_actions(tui_library: Library) -> None:
    app = make_app(tui_library)

    def titles() -> set[str]:
        return {c.title for c in app.get_system_commands(app.screen)}

    async with app.run_test(size=SIZE) as pilot:
        assert {"中/EN", "Keys", "Quit", "Open: doc-example"} <= titles()
        assert {"Filter by persona", "Filter by level", "Filter by skill"} <= titles()
        # A palette entry opens the picker, as the filter line does.
        (by_level,) = [
            c for c in app.get_system_commands(app.screen) if c.title == "Filter by level"
        ]
        by_level.callback()
        await pilot.pause()
        assert isinstance(app.screen, FilterPicker)
        await pilot.press("escape")
        await pilot.pause()
        await open_scenario(pilot, app, "doc-example")
        assert {"Start practice", "Start exam", "Back"} <= titles()
        await pilot.press("p")
        await pilot.pause()
        assert {"Hint", "Undo last reply", "Leave call"} <= titles()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        await play_best(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        assert {"Try again", "Back to library", "Rewind to this turn"} <= titles()


async def test_markup_in_titles_names_and_review_is_inert(tui_library: Library) -> None:
    app = make_app(tui_library, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"markup")
        await pilot.pause()
        table = app.screen.query_one("#library-table", DataTable)
        assert "[@click=app.quit]Markup[/] [b]bill[/b" in str(table.get_row_at(0)[0])
        # Clicking the title cell: a link would quit; instead the row opens its briefing.
        await pilot.click("#library-table", offset=(4, 1))
        await pilot.pause()
        assert app.is_running
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        title = str(briefing.query_one("#briefing-title", Static).render())
        facts = str(briefing.query_one("#briefing-facts", Static).render())
        assert title == "[@click=app.quit]Markup[/] [b]bill[/b"
        assert "Ms [@click=app.quit]Liu[/]" in facts
        await pilot.click("#briefing-facts")
        await pilot.pause()
        assert app.is_running
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        await play_best(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        review = debrief.query_one("#debrief-review", DataTable)
        cells = " ".join(str(c) for r in range(review.row_count) for c in review.get_row_at(r))
        assert "<img src=x onerror=alert(1)>" in cells or "[b]then[/b]" in cells
        assert app.is_running


async def test_app_started_from_the_index_loads_the_library_when_needed(
    tui_library: Library,
) -> None:
    from simulator.scenario.model import LibraryIndex  # noqa: PLC0415

    loads: list[int] = []

    def loader() -> Library:
        loads.append(1)
        return tui_library

    app = CalldrillApp(
        None, "en", seed=3, still=True, index=LibraryIndex.of(tui_library), loader=loader
    )
    async with app.run_test(size=SIZE) as pilot:
        await start_call(pilot, app, "doc-example")
        assert loads == [1]


async def test_the_customer_line_is_revealed_and_space_shows_it_whole(
    tui_library: Library,
) -> None:
    # A slow reveal (2 characters a second) so the test sees it part way, not a timing.
    app = CalldrillApp(tui_library, "en", seed=3, reveal_cps=2.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, app, "doc-example")
        opening = list(screen.query(Utterance))[-1]
        assert opening.revealing and opening.shown < len(opening.text)
        await pilot.press("space")
        await pilot.pause()
        assert not opening.revealing
        assert opening.text in str(opening.render())
        # A reply made while the next line is still coming finishes that line first.
        await pilot.press(number_of(screen, best_pick(screen.call)))
        await pilot.pause()
        coming = list(screen.query(Utterance))[-1]
        assert coming is not opening and coming.revealing
        await pilot.press(number_of(screen, best_pick(screen.call)))
        await pilot.pause()
        assert not coming.revealing and coming.text in str(coming.render())


async def test_the_profile_screen_focuses_the_names_else_the_new_name(
    tui_library: Library,
) -> None:
    from simulator.tui.screens.profile import ProfileScreen  # noqa: PLC0415

    for names, focused in (([], "profile-name"), (["Ann", "Bo"], "profile-list")):
        app = make_app(tui_library)
        async with app.run_test(size=SIZE) as pilot:
            app.push_screen(ProfileScreen(names, None))
            await pilot.pause()
            await pilot.pause()
            assert app.screen.focused is not None and app.screen.focused.id == focused

"""History and Progress over a real SQLite store filled through the real recorder: the
calls listed and filtered, an old call's debrief rebuilt with its stored score, the
saved summary of a call whose scenario changed, the weakest skills from real data,
both languages, and untrusted names shown as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, DataTable, Markdown, OptionList, Select, Static
from textual.widgets.data_table import ColumnKey
from textual.widgets.markdown import MarkdownBlock

from simulator.engine import Call, CallPlot
from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.store.profile import remember
from simulator.store.queries import MIN_CHANCES
from simulator.store.recorder import RecordedCall
from simulator.store.store import Store
from simulator.tui.app import CalldrillApp
from simulator.tui.screens.briefing import BriefingScreen
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.progress import ProgressScreen
from simulator.tui.screens.stored_debrief import StoredDebriefScreen
from simulator.tui.widgets.score_trend import ScoreTrendChart
from simulator.tui.widgets.skill_bars import SkillBars
from tests.conftest import FIXTURES, best_pick
from tests.history_data import Seeded, seed
from tests.test_tui import SIZE
from tests.test_tui_store import wait_for

PAYLOAD = "[@click=app.quit]x[/] [b]bold[/b"


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(bundled_dir(), [FIXTURES / "valid"])


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CALLDRILL_CONFIG", str(tmp_path / "config"))
    return f"sqlite:///{tmp_path / 'calldrill.sqlite3'}"


def app_for(lib: Library, db: str, name: str, lang: str = "en") -> CalldrillApp:
    """The app as a trainee starts it: the store opened, the profile remembered."""
    remember(name)
    return CalldrillApp(lib, lang, seed=3, still=True, store_url=db)  # type: ignore[arg-type]


async def to_history(pilot: Any, app: CalldrillApp) -> HistoryScreen:
    await wait_for(pilot, lambda: app.trainee is not None)
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


async def to_progress(pilot: Any, app: CalldrillApp) -> ProgressScreen:
    await wait_for(pilot, lambda: app.trainee is not None)
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen))
    assert isinstance(app.screen, ProgressScreen)
    return app.screen


def table_of(screen: HistoryScreen) -> DataTable[Any]:
    return screen.query_one("#history-table", DataTable)


def listed(screen: HistoryScreen) -> list[int]:
    table = table_of(screen)
    return [int(str(key.value)) for key in table.rows]


def text_of(widget: Static) -> str:
    return str(widget.render())


async def select_row(pilot: Any, screen: HistoryScreen, attempt_id: int) -> None:
    table = table_of(screen)
    table.focus()
    table.move_cursor(row=listed(screen).index(attempt_id))
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def skill_chances(call: Call) -> dict[str, tuple[int, int]]:
    """Per tag, (chances, hits) counted from the call's turns here, not by the store:
    a chance is a turn whose best reply used the tag, a hit one where the reply did too."""
    out: dict[str, tuple[int, int]] = {}
    for turn in call.turns:
        best = call.scenario.states[turn.state].choice(turn.best)
        for tag in best.tags:
            c, h = out.get(tag, (0, 0))
            out[tag] = (c + 1, h + (tag in turn.tags))
    return out


async def test_history_lists_every_call_newest_first_and_filters(lib: Library, db: str) -> None:
    seeded = seed(db, lib)
    app = app_for(lib, db, "王小明")
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_history(pilot, app)
        ids = seeded.ids
        newest_first = [ids[k] for k in ("best", "changed", "left", "markup", "exam", "low")]
        assert listed(screen) == newest_first
        assert "6 calls" in text_of(screen.query_one("#history-who", Static))
        left = table_of(screen).get_row(str(ids["left"]))
        assert [str(c) for c in left[2:]] == ["practice", "left", "—", "—", "—"]
        exam = table_of(screen).get_row(str(ids["exam"]))
        assert str(exam[2]) == "exam" and str(exam[6]) == "not passed"
        assert str(exam[5]) == "34"
        # An untrusted title is shown as written, never run as markup.
        markup = table_of(screen).get_row(str(ids["markup"]))
        assert str(markup[1]) == lib.scenarios["markup-text"].title.en

        # By scenario, with the keys: s, open the list, the second scenario, enter.
        await pilot.press("s", "enter", "down", "down", "enter")
        await pilot.pause()
        assert screen.query_one("#history-scenario", Select).value == "markup-text"
        assert listed(screen) == [ids["changed"], ids["markup"]]

        # By skill: the calls where the best reply used it, as counted from the calls.
        skill = "explain-reason"
        screen.query_one("#history-scenario", Select).clear()
        screen.query_one("#history-skill", Select).value = skill
        await pilot.pause()
        expected = [
            ids[k]
            for k in ("best", "changed", "markup", "exam", "low")
            if skill_chances(seeded.calls[k]).get(skill, (0, 0))[0]
        ]
        assert expected and listed(screen) == expected

        table_of(screen).focus()
        await pilot.press("c")
        await pilot.pause()
        assert listed(screen) == newest_first
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


async def test_older_calls_come_as_the_cursor_reaches_the_end(
    lib: Library, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("simulator.tui.screens.history.PAGE", 2)
    seeded = seed(db, lib)
    app = app_for(lib, db, "王小明")
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_history(pilot, app)
        newest_first = [seeded.ids[k] for k in ("best", "changed", "left")]
        assert listed(screen)[:2] == newest_first[:2] and len(listed(screen)) == 2
        assert "the latest 2 so far" in text_of(screen.query_one("#history-who", Static))
        for _ in range(6):
            await pilot.press("down")
            await pilot.pause()
        assert len(listed(screen)) == 6 and listed(screen)[:3] == newest_first
        assert "so far" not in text_of(screen.query_one("#history-who", Static))


async def test_an_old_call_opens_its_debrief_with_the_stored_score(lib: Library, db: str) -> None:
    seeded = seed(db, lib)
    with Store(db) as store:
        stored = {k: store.attempt(i) for k, i in seeded.ids.items()}
        # A call started and never answered: the next start offers it, and it is left.
        me = store.trainee("王小明", create=False)
        sc = lib.scenarios["doc-example"]
        fresh = RecordedCall.start(
            store, me.id, CallPlot(sc, lib.tags, lib.rubric).new_call(9), mode="practice", lang="zh"
        )
    app = app_for(lib, db, "王小明")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        screen = await to_history(pilot, app)
        assert listed(screen)[0] == fresh.attempt.id

        await select_row(pilot, screen, fresh.attempt.id)
        assert app.screen is screen  # nothing was answered: nothing to show

        for label in ("low", "exam", "best"):
            await select_row(pilot, screen, seeded.ids[label])
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            info = stored[label]
            assert info is not None and info.total is not None
            assert debrief.score.total == info.total
            assert debrief.score.passed == info.passed
            assert debrief.mode == info.mode
            card = debrief.query_one("#score-total", Static)
            assert f"{info.total:g}/100" in text_of(card)
            back = debrief.query_one("#debrief-library", Button)
            assert str(back.label) == "Back to history"
            await pilot.press("b")
            await pilot.pause()
            assert app.screen is screen

        # Left after two replies: its debrief shows the call as far as it went.
        await select_row(pilot, screen, seeded.ids["left"])
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert len(debrief.call.turns) == 2 and not debrief.call.finished
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_a_typed_call_replays_as_it_was_said(lib: Library, db: str) -> None:
    """Free text: a typed reply is replayed with the tags it showed, not the authored
    reply's, so the debrief has the stored score."""
    with Store(db) as store:
        me = store.trainee("王小明")
        sc = lib.scenarios["doc-example"]
        rc = RecordedCall.start(
            store, me.id, CallPlot(sc, lib.tags, lib.rubric).new_call(5), mode="practice", lang="zh"
        )
        first = rc.call.scenario.states[rc.call.state].choice("greet-and-ask")
        said = tuple(t for t in first.tags if t != "greeting")
        rc.reply("greet-and-ask", tags=said, text=PAYLOAD)
        while not rc.call.finished:
            rc.reply(best_pick(rc.call))
        info = store.attempt(rc.attempt.id)
    assert info is not None and info.total is not None and info.turns[0].text == PAYLOAD
    app = app_for(lib, db, "王小明")
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_history(pilot, app)
        await select_row(pilot, screen, rc.attempt.id)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert debrief.score.total == info.total
        assert tuple(debrief.call.turns[0].tags) == said
        assert app.is_running


async def test_a_changed_scenario_shows_the_summary_saved_then(lib: Library, db: str) -> None:
    seeded = seed(db, lib)
    with Store(db) as store:
        info = store.attempt(seeded.ids["changed"])
    assert info is not None and info.total is not None
    app = app_for(lib, db, "王小明")
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_history(pilot, app)
        await select_row(pilot, screen, seeded.ids["changed"])
        stored = app.screen
        assert isinstance(stored, StoredDebriefScreen)
        why = text_of(stored.query_one("#stored-why", Static))
        assert "version 99" in why and "version 1 now" in why
        await pilot.pause()
        shown = " ".join(
            str(block.render()) for block in stored.query_one(Markdown).query(MarkdownBlock)
        )
        # Saved in Chinese (the call's language): the title, as written, and the score.
        assert lib.scenarios["markup-text"].title.zh in shown
        assert f"{info.total:g}/100" in shown
        await pilot.press("f2")  # the labels follow the language; the saved text stays
        await pilot.pause()
        assert "第 99 版" in text_of(app.screen.query_one("#stored-why", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


def expected_weakest(seeded: Seeded, lib: Library) -> list[str]:
    totals: dict[str, tuple[int, int]] = {}
    for label, call in seeded.calls.items():
        if label == "left":  # not finished: it does not count
            continue
        for tag, (c, h) in skill_chances(call).items():
            c0, h0 = totals.get(tag, (0, 0))
            totals[tag] = (c0 + c, h0 + h)
    good = [
        (h / c, -c, tag)
        for tag, (c, h) in totals.items()
        if c >= MIN_CHANCES and sum(lib.tags[tag].points.values()) > 0
    ]
    return [tag for _, _, tag in sorted(good)[:3]]


async def test_progress_shows_the_weakest_skills_and_opens_a_briefing(
    lib: Library, db: str
) -> None:
    seeded = seed(db, lib)
    weakest = expected_weakest(seeded, lib)
    assert len(weakest) == 3
    app = app_for(lib, db, "王小明")
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_progress(pilot, app)
        assert screen.data is not None and screen.data.attempts == 5
        assert [s.tag for s in screen.data.weakest] == weakest
        chart = screen.query_one("#progress-trend", ScoreTrendChart)
        assert [round(p[1], 1) for p in chart.points] == [8.3, 34.0, 49.3, 100.0, 100.0]
        assert screen.query_one("#progress-skills", SkillBars).rows
        weak = screen.query_one("#progress-weak-list", OptionList)
        heads = [str(o.prompt) for o in weak.options if o.disabled]
        for tag in weakest:
            assert any(h.startswith(lib.tags[tag].name.en + ":") for h in heads), heads
        chosen = weak.highlighted_option
        assert chosen is not None and chosen.id is not None
        scenario = chosen.id.split(":", 1)[1]
        assert scenario in screen.data.practise[weakest[0]]
        await pilot.press("enter")
        await pilot.pause()
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        assert briefing.scenario.id == scenario
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_both_screens_follow_the_language(lib: Library, db: str) -> None:
    seed(db, lib)
    app = app_for(lib, db, "王小明")
    async with app.run_test(size=SIZE) as pilot:
        history = await to_history(pilot, app)
        assert str(table_of(history).columns[ColumnKey("col_when")].label) == "when"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is history
        assert str(table_of(history).columns[ColumnKey("col_when")].label) == "时间"
        assert "共 6 通电话" in text_of(history.query_one("#history-who", Static))
        await pilot.press("escape")
        screen = await to_progress(pilot, app)
        names = [lib.tags[s.tag].name.zh for s in (screen.data.weakest if screen.data else [])]
        heads = [str(o.prompt) for o in screen.query_one("#progress-weak-list", OptionList).options]
        assert names and all(any(h.startswith(n) for h in heads) for n in names)
        await pilot.press("f2")
        await pilot.pause()
        heads = [str(o.prompt) for o in screen.query_one("#progress-weak-list", OptionList).options]
        assert any(h.startswith(lib.tags[screen.data.weakest[0].tag].name.en) for h in heads)  # type: ignore[union-attr]


async def test_names_and_titles_are_shown_as_written(lib: Library, db: str) -> None:
    seed(db, lib, name=PAYLOAD)
    app = app_for(lib, db, PAYLOAD)
    async with app.run_test(size=SIZE) as pilot:
        history = await to_history(pilot, app)
        assert PAYLOAD in text_of(history.query_one("#history-who", Static))
        await pilot.press("escape")
        progress = await to_progress(pilot, app)
        assert PAYLOAD in text_of(progress.query_one("#progress-who", Static))
        titles = [
            str(o.prompt) for o in progress.query_one("#progress-weak-list", OptionList).options
        ]
        assert any(lib.scenarios["markup-text"].title.en in t for t in titles)
        assert app.is_running


@pytest.mark.parametrize(
    ("lang", "history_says", "progress_says"),
    [
        ("zh", "还没有练习记录", "还没有完成的通话"),
        ("en", "No calls yet", "No finished calls yet"),
    ],
)
async def test_no_calls_yet_says_so_kindly(
    lib: Library, db: str, lang: str, history_says: str, progress_says: str
) -> None:
    app = app_for(lib, db, "新来的", lang)
    async with app.run_test(size=SIZE) as pilot:
        history = await to_history(pilot, app)
        empty = history.query_one("#history-empty", Static)
        assert empty.display and history_says in text_of(empty)
        assert not table_of(history).display
        await pilot.press("enter")  # nothing to open: nothing happens
        await pilot.press("escape")
        progress = await to_progress(pilot, app)
        assert progress_says in text_of(progress.query_one("#progress-empty", Static))
        assert not progress.query(ScoreTrendChart)

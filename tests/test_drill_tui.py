"""A whole classroom drill driven through the app (issue 7): three people, three
rounds, phases on a clock the test moves. Checks the rotation, the privacy screen
before the role card, the observer sheet and what the store keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, DataTable, Input, RadioButton, Static, TextArea

from simulator.drill.phases import FEEDBACK, PREPARE, ROLEPLAY, PhaseClock, PhasePlan
from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.scenario.model import DIMENSIONS
from simulator.store.drills import class_rounds
from simulator.store.store import Store
from simulator.tui.app import CalldrillApp
from simulator.tui.screens.drill_handoff import DrillHandoffScreen
from simulator.tui.screens.drill_plan import DrillPlanScreen
from simulator.tui.screens.drill_prepare import DrillPrepareScreen
from simulator.tui.screens.drill_role_card import DrillRoleCardScreen
from simulator.tui.screens.drill_roleplay import DrillRoleplayScreen
from simulator.tui.screens.drill_round_debrief import DrillRoundDebriefScreen
from simulator.tui.screens.drill_setup import DrillSetupScreen
from simulator.tui.screens.drill_sheet import DrillSheetScreen
from simulator.tui.screens.profile import ProfileScreen
from simulator.tui.widgets.phase_countdown import PhaseCountdown
from tests.conftest import best_pick

SIZE = (110, 36)
GROUP = ["陈静", "[@click=app.quit]李雷", "Wang Fang"]
SCENARIOS = ["angry-delivery", "privacy-trap", "transfer-four-steps"]
SHEETS = [
    {"expression": 4, "process": 3, "solving": 5, "emotion": 2},
    {"expression": 5, "process": 5, "solving": 4, "emotion": 4},
    {"expression": 1, "process": 2, "solving": 3, "emotion": 3},
]


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(bundled_dir())


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CALLDRILL_CONFIG", str(tmp_path / "config"))
    return f"sqlite:///{tmp_path / 'calldrill.sqlite3'}"


async def wait_for(pilot: object, check: object, tries: int = 100) -> None:
    for _ in range(tries):
        if check():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("the app never got there")


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def press(pilot: object, app: CalldrillApp, button: str) -> None:
    app.screen.query_one(button, Button).press()
    await pilot.pause()  # type: ignore[attr-defined]


# A whole drill is some forty screens and three recorded calls: on a loaded machine it
# needs more than the suite's default two minutes.
@pytest.mark.timeout(600)
async def test_a_three_person_three_round_drill(lib: Library, db: str) -> None:
    now = [1000.0]
    app = CalldrillApp(lib, "en", seed=3, still=True, store_url=db)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        app.screen.query_one("#profile-name", Input).focus()
        await pilot.press(*"trainer", "enter")
        await wait_for(pilot, lambda: app.trainee is not None)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillSetupScreen))
        setup = app.screen
        assert isinstance(setup, DrillSetupScreen)
        setup.clock = lambda: now[0]
        for n, name in enumerate(GROUP, start=1):
            setup.query_one(f"#drill-name-{n}", Input).value = name
        setup.query_one("#drill-scenarios", Input).value = ",".join(SCENARIOS)
        setup.query_one("#drill-rounds", Input).value = "3"
        setup.query_one("#drill-seconds", Input).value = "2/3/1"
        setup.query_one("#drill-class", Input).value = "Class A"
        await press(pilot, app, "#drill-plan")
        plan = app.screen
        assert isinstance(plan, DrillPlanScreen)
        table = plan.query_one("#drill-plan-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        a, b, c = GROUP
        assert [r[1:4] for r in rows] == [[a, c, b], [b, a, c], [c, b, a]]
        await press(pilot, app, "#drill-start")

        for number in range(1, 4):
            seats = plan.run.plan[number - 1]
            prepare = app.screen
            assert isinstance(prepare, DrillPrepareScreen)
            assert seats.agent in text_of(prepare, "#drill-banner")
            assert seats.agent in text_of(prepare, "#drill-prepare-who")
            assert not prepare.query("#drill-card-calmer"), "no role card while the agent reads"
            now[0] += 3  # the prepare phase runs one second over
            await press(pilot, app, "#drill-done-reading")

            handoff = app.screen
            assert isinstance(handoff, DrillHandoffScreen)
            assert f"Hand the keyboard to {seats.customer}" in text_of(handoff, "#drill-hand-to")
            assert seats.agent in text_of(handoff, "#drill-look-away")
            assert not handoff.query("#drill-card-calmer"), "the card waits for the agent"
            await press(pilot, app, "#drill-looking-away")

            card = app.screen
            assert isinstance(card, DrillRoleCardScreen)
            sc = lib.scenarios[SCENARIOS[number - 1]]
            assert sc.persona.name.en in text_of(card, "#drill-card-persona")
            assert text_of(card, "#drill-card-calmer")
            await press(pilot, app, "#drill-card-done")

            play = app.screen
            assert isinstance(play, DrillRoleplayScreen)
            assert play.call is not None and play.recorded is not None
            # The lines are drawn after the screen mounts: on a loaded machine, wait for them.
            await wait_for(pilot, lambda s=play: "Read aloud" in text_of(s, "#drill-lines"))
            assert text_of(play, "#drill-cues").startswith("Stage cues")
            if number == 1:
                # The observer may type what the agent said instead: matched, scored as said.
                best = best_pick(play.call)
                said = play.call.scenario.states[play.call.state].choice(best).text.en
                typed = play.query_one("#drill-typed", Input)
                typed.focus()
                typed.value = said
                await pilot.press("enter")
                await wait_for(pilot, lambda s=play: len(s.call.turns) == 1)
                assert [t.choice for t in play.call.turns] == [best]
                assert typed.value == ""
                play.query_one("#drill-choices").focus()
            while not play.call.finished:
                best = best_pick(play.call)
                await pilot.press(str([x.id for x in play.call.choices].index(best) + 1))
                await pilot.pause()
            assert play.query_one("#drill-over").display
            now[0] += 2  # the role-play ends in time
            await press(pilot, app, "#drill-to-feedback")

            sheet = app.screen
            assert isinstance(sheet, DrillSheetScreen)
            assert f"{seats.observer} scores {seats.agent}" in text_of(sheet, "#drill-sheet-title")
            criteria = lib.rubric.dimensions["emotion"].criteria.en
            assert text_of(sheet, "#criteria-emotion") == criteria
            await press(pilot, app, "#drill-save-sheet")
            assert isinstance(app.screen, DrillSheetScreen), "an incomplete sheet is refused"
            assert "every item" in text_of(sheet, "#drill-sheet-error")
            for dim, value in SHEETS[number - 1].items():
                sheet.query_one(f"#sheet-{dim}-{value}", RadioButton).value = True
            await pilot.pause()
            sheet.query_one("#focus-emotion", Input).value = f"calm {number}"
            if number == 1:
                await pilot.press("f2")  # to Chinese and back: the sheet keeps what was filled
                await pilot.pause()
                assert "观察员评分表" in text_of(sheet, "#drill-sheet-title")
                await pilot.press("f2")
                await pilot.pause()
                assert sheet.scores() == SHEETS[0]
                assert sheet.query_one("#focus-emotion", Input).value == "calm 1"
            sheet.query_one("#sheet-note", TextArea).text = "[red]good[/red] \x1b[2J"
            now[0] += 1.5  # feedback half a second over
            await press(pilot, app, "#drill-save-sheet")

            debrief = app.screen
            assert isinstance(debrief, DrillRoundDebriefScreen)
            assert debrief.result.sheet == SHEETS[number - 1]
            notes = text_of(debrief, "#drill-debrief-notes")
            assert "[red]good[/red]" in notes and "\x1b" not in notes
            await press(pilot, app, "#drill-finish" if number == 3 else "#drill-next")

        await wait_for(pilot, lambda: isinstance(app.screen, DrillSetupScreen))
        assert app.is_running

    with Store(db) as store:
        rounds = class_rounds(store, "Class A")
        trainees = {t.name: t for t in store.trainees()}
    assert [(r.agent, r.customer, r.observer) for r in rounds] == [
        (s.agent, s.customer, s.observer) for s in plan.run.plan
    ]
    assert [r.scenario_id for r in rounds] == SCENARIOS
    for r, scores in zip(rounds, SHEETS, strict=True):
        assert r.sheet is not None and dict(r.sheet.scores) == scores
        assert r.sheet.focus == {"emotion": f"calm {r.number}"}
        assert r.sheet.note == "[red]good[/red] [2J", "control characters are stripped"
        assert r.engine is not None and set(r.engine) == set(DIMENSIONS)
        assert r.engine_total is not None and r.engine_total > 0
        timing = {t.phase: t for t in r.timings}
        assert timing[PREPARE].used_ms == 3000 and timing[PREPARE].over_ms == 1000
        assert timing[ROLEPLAY].used_ms == 2000 and not timing[ROLEPLAY].over
        assert timing[FEEDBACK].over_ms == 500
        assert r.over_ms == 1500
        assert r.attempt_id is not None
    with Store(db) as store:
        for r in rounds:
            assert r.attempt_id is not None
            attempt = store.attempt(r.attempt_id)
            assert attempt is not None
            assert attempt.trainee_id == trainees[r.agent].id, "stored under the agent"
            assert (attempt.mode, attempt.status) == ("drill", "finished")
            assert attempt.scenario_id == r.scenario_id
        first = store.attempt(rounds[0].attempt_id or 0)
        assert first is not None and first.turns[0].text, "the typed reply is kept"


async def test_the_countdown_runs_over_and_says_so() -> None:
    now = [0.0]
    clock = PhaseClock(PhasePlan(prepare=2), clock=lambda: now[0])
    clock.start(PREPARE)

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield PhaseCountdown(clock, "Prepare", "{time} left", "{time} over", id="c")

    app = One()
    async with app.run_test() as pilot:
        widget = app.query_one("#c", PhaseCountdown)
        assert "00:02 left" in str(widget.render()) and not widget.has_class("over")
        now[0] = 3.5
        widget.tick()
        await pilot.pause()
        assert "+00:01 over" in str(widget.render()) and widget.has_class("over")


async def test_calldrill_drill_opens_on_the_set_up(lib: Library) -> None:
    from simulator.tui.drill_app import DrillApp  # noqa: PLC0415

    app = DrillApp(lib, "zh", still=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DrillSetupScreen))
        await wait_for(pilot, lambda: app.screen.sub_title == "小组演练")
        assert app.screen.query("#drill-name-1")

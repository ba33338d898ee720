"""Peer feedback (drill phase 3): the observer's score sheet — the four rubric
dimensions 1–5 with their criteria, the three focus points, a free note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, RadioButton, RadioSet, Static, TextArea

from simulator.drill.session import DrillRun, RoundResult
from simulator.engine import Call
from simulator.scenario.model import DIMENSIONS
from simulator.scenario.text import strip_control
from simulator.scoring.rubric import score_call
from simulator.tui.safe import plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.drill_flow import banner, countdown_for, leave_drill

if TYPE_CHECKING:
    from simulator.store.recorder import RecordedCall

FOCUS = ("emotion", "solution", "phrasing")


class DrillSheetScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    DrillSheetScreen #drill-sheet-body { padding: 0 2; }
    DrillSheetScreen .sheet-dim { margin-top: 1; text-style: bold; }
    DrillSheetScreen .sheet-criteria { color: $text-muted; }
    DrillSheetScreen RadioSet { layout: horizontal; height: auto; width: auto; }
    DrillSheetScreen #sheet-note { height: 5; }
    DrillSheetScreen #drill-sheet-error { color: $error; height: auto; }
    DrillSheetScreen .section-title { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "leave", "Leave", id="drill-sheet.leave")]

    def __init__(self, run: DrillRun, call: Call, recorded: RecordedCall | None) -> None:
        super().__init__()
        self.run = run
        self.call = call
        self.recorded = recorded

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        rubric = app.library.rubric
        seats = self.run.seats
        yield Header()
        yield banner(app, self.run)
        yield countdown_for(app, self.run, id="drill-countdown")
        with VerticalScroll(id="drill-sheet-body"):
            yield Static(
                styled(
                    app.tr("drill_sheet_title", observer=seats.observer, agent=seats.agent), "bold"
                ),
                id="drill-sheet-title",
            )
            yield Static(plain(app.tr("drill_sheet_scale")), classes="sheet-criteria")
            for dim in DIMENSIONS:
                spec = rubric.dimensions[dim]
                yield Static(plain(spec.name.get(lang)), classes="sheet-dim")
                yield Static(
                    plain(spec.criteria.get(lang)), classes="sheet-criteria", id=f"criteria-{dim}"
                )
                with RadioSet(id=f"sheet-{dim}"):
                    for n in range(1, 6):
                        yield RadioButton(str(n), id=f"sheet-{dim}-{n}")
            yield Static(plain(app.tr("drill_focus")), classes="section-title")
            for point in FOCUS:
                yield Input(
                    placeholder=app.tr(f"drill_focus_{point}"),
                    id=f"focus-{point}",
                    max_length=500,
                )
            yield Static(plain(app.tr("drill_note")), classes="section-title")
            yield TextArea(id="sheet-note")
            yield Static("", id="drill-sheet-error")
            with Horizontal():
                yield Button(
                    plain(app.tr("drill_save_sheet")), id="drill-save-sheet", variant="primary"
                )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("drill_phase_feedback")
        for field in self.query(Input):
            field.cursor_blink = not self.calldrill.still

    async def relabel(self) -> None:
        # The sheet being filled in survives a language switch.
        scores = self.scores()
        typed = {f.id: f.value for f in self.query(Input) if f.id}
        note = self.query_one("#sheet-note", TextArea).text
        await self.recompose()
        self.on_mount()
        for dim, score in scores.items():
            self.query_one(f"#sheet-{dim}-{score}", RadioButton).value = True
        for widget_id, text in typed.items():
            self.query_one(f"#{widget_id}", Input).value = text
        self.query_one("#sheet-note", TextArea).text = note

    def scores(self) -> dict[str, int]:
        out = {}
        for dim in DIMENSIONS:
            pressed = self.query_one(f"#sheet-{dim}", RadioSet).pressed_button
            if pressed is not None and pressed.id is not None:
                out[dim] = int(pressed.id.rsplit("-", 1)[1])
        return out

    @on(Button.Pressed, "#drill-save-sheet")
    def action_save(self) -> None:
        app = self.calldrill
        scores = self.scores()
        if len(scores) < len(DIMENSIONS):
            self.query_one("#drill-sheet-error", Static).update(
                plain(app.tr("drill_sheet_incomplete"))
            )
            self.app.bell()
            return
        run = self.run
        result = run.finish_round()
        result.sheet = scores
        result.focus = {
            p: strip_control(self.query_one(f"#focus-{p}", Input).value).strip() for p in FOCUS
        }
        result.focus = {k: v for k, v in result.focus.items() if v}
        result.note = strip_control(self.query_one("#sheet-note", TextArea).text).strip()
        score = score_call(self.call)
        result.engine = dict(score.dimensions)
        result.engine_total = score.total
        result.outcome = score.outcome
        if self.recorded is not None:
            result.attempt_id = self.recorded.attempt.id
        self._save(result)
        from simulator.tui.screens.drill_round_debrief import (  # noqa: PLC0415
            DrillRoundDebriefScreen,
        )

        self.app.switch_screen(DrillRoundDebriefScreen(run, result, self.call))

    def _save(self, result: RoundResult) -> None:
        app = self.calldrill
        stored = self.run.stored
        if app.store is None or stored is None:
            return
        from simulator.store.drills import ObserverSheet, save_round  # noqa: PLC0415
        from simulator.store.errors import StoreError  # noqa: PLC0415

        try:
            save_round(
                app.store,
                stored,
                result.seats,
                result.scenario_id,
                attempt_id=result.attempt_id,
                timings=result.timings,
                sheet=ObserverSheet(dict(result.sheet), dict(result.focus), result.note),
            )
        except StoreError as exc:
            app.store_failed(str(exc))

    def action_leave(self) -> None:
        leave_drill(self.calldrill, self.run)

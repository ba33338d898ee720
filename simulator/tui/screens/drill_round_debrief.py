"""The round's debrief: the engine's scores beside the observer's (mapped to 0–25),
the focus points and note, and how long each phase took (over-runs marked)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Static

from simulator.drill.session import DrillRun, RoundResult
from simulator.engine import Call
from simulator.scenario.model import DIMENSIONS
from simulator.tui.cells import cell
from simulator.tui.safe import plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.drill_flow import banner


def mapped(score: int) -> float:
    return (score - 1) * 6.25


class DrillRoundDebriefScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    DrillRoundDebriefScreen #drill-debrief-body { padding: 0 2; }
    DrillRoundDebriefScreen DataTable { height: auto; margin: 1 0; }
    DrillRoundDebriefScreen .section-title { margin-top: 1; text-style: bold; }
    DrillRoundDebriefScreen #drill-debrief-buttons { height: auto; }
    """
    BINDINGS = [Binding("n", "next", "Next", id="drill-debrief.next")]

    def __init__(self, run: DrillRun, result: RoundResult, call: Call) -> None:
        super().__init__()
        self.run = run
        self.result = result
        self.call = call

    def compose(self) -> ComposeResult:
        app = self.calldrill
        r = self.result
        yield Header()
        yield banner(app, self.run)
        with VerticalScroll(id="drill-debrief-body"):
            yield Static(
                styled(app.tr("drill_debrief_title", n=r.seats.number), "bold"),
                id="drill-debrief-title",
            )
            if r.outcome:
                yield Static(plain(f"{app.tr('outcome')}: {app.tr(r.outcome)}"))
            scores: DataTable[object] = DataTable(id="drill-debrief-scores", cursor_type="none")
            scores.add_columns(
                "", app.tr("drill_engine_score"), app.tr("drill_observer_score"), "1–5"
            )
            for dim in DIMENSIONS:
                engine = r.engine.get(dim)
                sheet = r.sheet.get(dim)
                scores.add_row(
                    app.tr(dim),
                    f"{engine:g}" if engine is not None else "—",
                    f"{mapped(sheet):g}" if sheet is not None else "—",
                    str(sheet) if sheet is not None else "—",
                )
            total_sheet = sum(mapped(v) for v in r.sheet.values())
            scores.add_row(
                app.tr("total"),
                f"{r.engine_total:g}" if r.engine_total is not None else "—",
                f"{total_sheet:g}",
                "",
            )
            yield scores
            if r.focus or r.note:
                yield Static(plain(app.tr("drill_focus")), classes="section-title")
                lines = [f"· {app.tr(f'drill_focus_{k}')}: {v}" for k, v in r.focus.items()]
                if r.note:
                    lines.append(f"· {app.tr('drill_note')}: {r.note}")
                yield Static(plain("\n".join(lines)), id="drill-debrief-notes")
            yield Static(plain(app.tr("drill_timings")), classes="section-title")
            times: DataTable[object] = DataTable(id="drill-debrief-times", cursor_type="none")
            times.add_columns("", "", "")
            for timing in r.timings:
                used = timing.used_ms / 1000
                over = (
                    cell(app.tr("drill_over_note", s=f"{timing.over_ms / 1000:.0f}"), "bold red")
                    if timing.over
                    else cell("")
                )
                times.add_row(
                    app.tr(f"drill_phase_{timing.phase}"),
                    f"{used:.0f} s / {timing.planned_s} s",
                    over,
                )
            yield times
            with Horizontal(id="drill-debrief-buttons"):
                if self.run.last_round:
                    yield Button(
                        plain(app.tr("drill_finish")), id="drill-finish", variant="primary"
                    )
                else:
                    yield Button(
                        plain(app.tr("drill_next_round")), id="drill-next", variant="primary"
                    )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("drill")
        self.query_one(Button).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    @on(Button.Pressed, "#drill-next")
    def _next(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#drill-finish")
    def action_finish(self) -> None:
        app = self.calldrill
        stored = self.run.stored
        if app.store is not None and stored is not None:
            from simulator.store.drills import finish_drill  # noqa: PLC0415
            from simulator.store.errors import StoreError  # noqa: PLC0415

            try:
                finish_drill(app.store, stored.id)
            except StoreError as exc:
                app.store_failed(str(exc))
            app.refresh_best()
        app.notify(app.tr("drill_finished", n=len(self.run.results)), markup=False)
        self.app.pop_screen()

    def action_next(self) -> None:
        if self.run.last_round:
            self.action_finish()
            return
        from simulator.tui.screens.drill_prepare import DrillPrepareScreen  # noqa: PLC0415

        self.run.next_round()
        self.app.switch_screen(DrillPrepareScreen(self.run))

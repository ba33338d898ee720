"""The rotation planned for the drill: who plays agent, customer and observer each
round, and which scenario."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Static

from simulator.drill.phases import PHASES
from simulator.drill.session import DrillRun
from simulator.tui.cells import cell
from simulator.tui.safe import plain, styled
from simulator.tui.screens.base import CalldrillAccess


class DrillPlanScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    DrillPlanScreen #drill-plan-body { padding: 0 2; }
    DrillPlanScreen #drill-plan-table { height: auto; margin: 1 0; }
    DrillPlanScreen #drill-plan-buttons { height: auto; }
    """
    BINDINGS = [
        Binding("s", "start", "Start", id="drill-plan.start"),
        Binding("escape", "back", "Back", id="drill-plan.back"),
    ]

    def __init__(self, run: DrillRun) -> None:
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        run = self.run
        yield Header()
        with VerticalScroll(id="drill-plan-body"):
            yield Static(styled(app.tr("drill_plan_title"), "bold"))
            times = " · ".join(
                f"{app.tr(f'drill_phase_{p}')} {run.phases.seconds(p) // 60}:"
                f"{run.phases.seconds(p) % 60:02d}"
                for p in PHASES
            )
            yield Static(plain(times), id="drill-plan-times")
            table: DataTable[object] = DataTable(id="drill-plan-table", cursor_type="row")
            table.add_columns(
                app.tr("drill_col_round"),
                app.tr("drill_role_agent"),
                app.tr("drill_role_customer"),
                app.tr("drill_role_observer"),
                app.tr("drill_col_scenario"),
            )
            for seats, sid in zip(run.plan, run.scenario_ids, strict=True):
                summary = app.index.scenarios.get(sid)
                title = summary.title.get(lang) if summary else sid
                observer = seats.observer + "".join(f" + {p}" for p in seats.also_watching)
                table.add_row(
                    str(seats.number),
                    cell(seats.agent),
                    cell(seats.customer),
                    cell(observer),
                    cell(title),
                    key=str(seats.number),
                )
            yield table
            if app.store is None:
                yield Static(plain(app.tr("drill_not_saved")), id="drill-plan-unsaved")
            with Horizontal(id="drill-plan-buttons"):
                yield Button(plain(app.tr("drill_start")), id="drill-start", variant="primary")
                yield Button(plain(app.tr("back")), id="drill-plan-back")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("drill")
        self.query_one("#drill-start", Button).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    @on(Button.Pressed, "#drill-start")
    def action_start(self) -> None:
        from simulator.tui.screens.drill_prepare import DrillPrepareScreen  # noqa: PLC0415

        app = self.calldrill
        if app.store is not None:
            from simulator.store.drills import start_drill  # noqa: PLC0415
            from simulator.store.errors import StoreError  # noqa: PLC0415

            try:
                self.run.stored = start_drill(
                    app.store,
                    self.run.members,
                    class_name=self.run.class_name,
                    plan={
                        "phases": self.run.phases.as_dict(),
                        "scenarios": list(self.run.scenario_ids),
                        "rotation": [s.as_dict() for s in self.run.plan],
                    },
                    lang=app.lang,
                )
            except StoreError as exc:
                app.store_failed(str(exc))
        self.app.switch_screen(DrillPrepareScreen(self.run))

    @on(Button.Pressed, "#drill-plan-back")
    def action_back(self) -> None:
        self.app.pop_screen()

    def commands(self) -> Iterable[SystemCommand]:
        app = self.calldrill
        yield SystemCommand(app.tr("drill_start"), "s", self.action_start)

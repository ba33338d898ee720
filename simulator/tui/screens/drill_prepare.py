"""Prepare (drill phase 1): the agent reads the trainee brief while the clock runs."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from simulator.drill.phases import PREPARE
from simulator.drill.session import DrillRun
from simulator.i18n import fact_label
from simulator.tui.safe import plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.drill_flow import banner, countdown_for, leave_drill


class DrillPrepareScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    DrillPrepareScreen #drill-prepare-body { padding: 0 2; }
    DrillPrepareScreen .section-title { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "leave", "Leave", id="drill-prepare.leave")]

    def __init__(self, run: DrillRun) -> None:
        super().__init__()
        self.run = run
        if run.clock.phase is None:
            run.clock.start(PREPARE)

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        sc = app.library.scenarios[self.run.scenario_id]
        yield Header()
        yield banner(app, self.run)
        yield countdown_for(app, self.run, id="drill-countdown")
        with VerticalScroll(id="drill-prepare-body"):
            yield Static(
                styled(app.tr("drill_prepare_for", name=self.run.seats.agent), "bold"),
                id="drill-prepare-who",
            )
            yield Static(styled(sc.title.get(lang), "bold"), id="drill-prepare-title")
            yield Static(plain(app.tr("situation")), classes="section-title")
            yield Static(plain(sc.brief.get(lang)), id="drill-prepare-brief")
            yield Static(plain(app.tr("customer_facts")), classes="section-title")
            facts = "\n".join(
                f"· {fact_label(lang, k)}: {v.get(lang)}" for k, v in sc.customer.items()
            )
            yield Static(plain(facts))
            yield Static(plain(app.tr("goal")), classes="section-title")
            yield Static(plain(sc.goal.get(lang)))
            yield Button(
                plain(app.tr("drill_done_reading")), id="drill-done-reading", variant="primary"
            )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("drill_phase_prepare")
        self.query_one("#drill-done-reading", Button).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    @on(Button.Pressed, "#drill-done-reading")
    def action_done(self) -> None:
        from simulator.tui.screens.drill_handoff import DrillHandoffScreen  # noqa: PLC0415

        self.app.switch_screen(DrillHandoffScreen(self.run))

    def action_leave(self) -> None:
        leave_drill(self.calldrill, self.run)

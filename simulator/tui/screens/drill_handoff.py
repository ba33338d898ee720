"""The privacy screen between the agent's brief and the customer's role card: the
card appears only once the agent has confirmed they are looking away."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from simulator.drill.session import DrillRun
from simulator.tui.safe import plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.drill_flow import banner, countdown_for, leave_drill


class DrillHandoffScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    DrillHandoffScreen #drill-handoff-body { align: center middle; height: 1fr; }
    DrillHandoffScreen #drill-hand-to { text-style: bold; content-align: center middle;
        width: 100%; margin: 1; }
    DrillHandoffScreen #drill-look-away { content-align: center middle; width: 100%; }
    """
    BINDINGS = [Binding("escape", "leave", "Leave", id="drill-handoff.leave")]

    def __init__(self, run: DrillRun) -> None:
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        app = self.calldrill
        seats = self.run.seats
        yield Header()
        yield banner(app, self.run)
        yield countdown_for(app, self.run, id="drill-countdown")
        with Vertical(id="drill-handoff-body"):
            yield Static(
                styled(app.tr("drill_hand_to", name=seats.customer), "bold"), id="drill-hand-to"
            )
            yield Static(plain(app.tr("drill_look_away", agent=seats.agent)), id="drill-look-away")
            with Center():
                yield Button(
                    plain(app.tr("drill_agent_looking_away")),
                    id="drill-looking-away",
                    variant="warning",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("drill_phase_prepare")
        self.query_one("#drill-looking-away", Button).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    @on(Button.Pressed, "#drill-looking-away")
    def action_show_card(self) -> None:
        from simulator.tui.screens.drill_role_card import DrillRoleCardScreen  # noqa: PLC0415

        self.app.switch_screen(DrillRoleCardScreen(self.run))

    def action_leave(self) -> None:
        leave_drill(self.calldrill, self.run)

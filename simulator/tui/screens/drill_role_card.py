"""The customer player's role card (still in the prepare phase): who they are, what
they want and know, their mood, and what makes them calmer or angrier."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from simulator.drill.phases import ROLEPLAY
from simulator.drill.role_card import Move, role_card
from simulator.drill.session import DrillRun
from simulator.tui.safe import plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.drill_flow import banner, countdown_for, leave_drill


def _moves(moves: tuple[Move, ...]) -> str:
    return "\n".join(f"· {m.skill} ({m.effect}): {m.because}" for m in moves)


class DrillRoleCardScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    DrillRoleCardScreen #drill-card-body { padding: 0 2; }
    DrillRoleCardScreen .section-title { margin-top: 1; text-style: bold; }
    DrillRoleCardScreen #drill-card-calmer { color: $success; }
    DrillRoleCardScreen #drill-card-angrier { color: $error; }
    """
    BINDINGS = [Binding("escape", "leave", "Leave", id="drill-card.leave")]

    def __init__(self, run: DrillRun) -> None:
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lib = app.library
        card = role_card(lib.scenarios[self.run.scenario_id], lib.tags, app.lang)
        yield Header()
        yield banner(app, self.run)
        yield countdown_for(app, self.run, id="drill-countdown")
        with VerticalScroll(id="drill-card-body"):
            yield Static(
                styled(f"{app.tr('drill_card_title')}: {self.run.seats.customer}", "bold"),
                id="drill-card-heading",
            )
            sections = [
                ("drill_card_persona", f"{card.persona} — {card.title}", "drill-card-persona"),
                ("drill_card_sound", card.how_you_sound, "drill-card-sound"),
                ("drill_card_want", "\n".join(f"· {w}" for w in card.what_you_want), None),
                ("drill_card_facts", "\n".join(f"· {k}: {v}" for k, v in card.facts), None),
                ("drill_card_mood", "\n".join(f"· {m}" for m in card.mood), "drill-card-mood"),
                ("drill_card_calmer", _moves(card.calmer), "drill-card-calmer"),
                ("drill_card_angrier", _moves(card.angrier), "drill-card-angrier"),
                ("drill_card_limits", "\n".join(f"· {x}" for x in card.limits), None),
            ]
            for key, text, widget_id in sections:
                if not text:
                    continue
                yield Static(plain(app.tr(key)), classes="section-title")
                yield Static(plain(text), id=widget_id)
            yield Button(plain(app.tr("drill_card_done")), id="drill-card-done", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("drill_card_title")
        self.query_one("#drill-card-done", Button).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    @on(Button.Pressed, "#drill-card-done")
    def action_start_roleplay(self) -> None:
        from simulator.tui.screens.drill_roleplay import DrillRoleplayScreen  # noqa: PLC0415

        self.run.clock.start(ROLEPLAY)
        self.app.switch_screen(DrillRoleplayScreen(self.run))

    def action_leave(self) -> None:
        leave_drill(self.calldrill, self.run)

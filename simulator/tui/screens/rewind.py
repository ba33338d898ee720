"""Rewind and branch: from one turn of the review, try another reply and see what the
customer would have said and how the score would have moved (practice only)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from simulator.engine import Call
from simulator.scoring import score_call
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.base import CalldrillAccess


class RewindScreen(CalldrillAccess, ModalScreen[Call | None]):
    """Dismisses with the branched call to continue from, or None."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", id="rewind.close"),
        Binding(
            "c",
            "continue_call",
            "Continue from here",
            id="rewind.continue",
            tooltip="Play on from this other reply",
        ),
    ]

    DEFAULT_CSS = """
    RewindScreen { align: center middle; }
    #rewind-box { width: 90%; height: 80%; padding: 1 2; border: thick $accent;
                  background: $surface; }
    #rewind-options { height: auto; max-height: 10; }
    #rewind-result { height: auto; margin-top: 1; }
    """

    def __init__(self, call: Call, turn_number: int) -> None:
        super().__init__()
        self.original = call
        self.turn_number = turn_number
        self.turn = call.turns[turn_number - 1]
        self.branched: Call | None = None

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        state = self.original.scenario.states[self.turn.state]
        chosen = state.choice(self.turn.choice)
        with Vertical(id="rewind-box"):
            yield Static(
                join(
                    styled(f"{app.tr('rewind_title', n=self.turn_number)}\n", "bold"),
                    plain(f"{app.tr('your_reply')}: {chosen.text.get(lang)}"),
                ),
                id="rewind-header",
            )
            by_id = {c.id: c for c in state.choices}
            yield OptionList(
                *[
                    Option(plain(f"{i}. {by_id[cid].text.get(lang)}"), id=cid)
                    for i, cid in enumerate(self.turn.offered, start=1)
                    if cid != self.turn.choice
                ],
                id="rewind-options",
            )
            yield Static("", id="rewind-result")

    def on_mount(self) -> None:
        self.query_one("#rewind-options", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#rewind-options")
    def _try(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show_branch(event.option.id)

    @on(OptionList.OptionSelected, "#rewind-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.show_branch(event.option.id)

    def show_branch(self, choice_id: str) -> None:
        app = self.calldrill
        lang = app.lang
        branched = self.original.branch(self.turn_number, choice_id)
        self.branched = branched
        turn = branched.turns[-1]
        lines = " ".join(line.get(lang) for line in branched.customer_lines)
        before = score_call(self.original)
        prefix = self.original.branch(self.turn_number, self.turn.choice)
        was = sum(self.turn.points.values())
        now = sum(turn.points.values())
        then, after = score_call(prefix).total, score_call(branched).total
        choice = branched.scenario.states[turn.state].choice(turn.choice)
        self.query_one("#rewind-result", Static).update(
            join(
                styled(f"{app.tr('customer_says')}", "bold $accent"),
                plain(lines + "\n"),
                styled(
                    f"{app.tr('turn_points')}: {now:+d} ({app.tr('was')} {was:+d}) · "
                    f"{app.tr('score_so_far')}: {then:g} → {after:g}\n",
                    "bold green" if after >= then else "bold red",
                ),
                plain(f"{app.tr('feedback')}: {choice.feedback.get(lang)}\n"),
                styled(app.tr("rewind_continue", total=f"{before.total:g}"), "italic"),
            )
        )
        prefix.close()

    def action_continue_call(self) -> None:
        # A branch that already ended opens on its last line; Enter leads to its debrief.
        if self.branched is not None:
            self.dismiss(self.branched)

    def action_dismiss_none(self) -> None:
        if self.branched is not None:
            self.branched.close()
        self.dismiss(None)

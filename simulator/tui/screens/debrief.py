"""The debrief: the score, the outcome, and every turn next to the best reply on offer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, TabbedContent, TabPane

from simulator.engine import Call
from simulator.scenario.model import DIMENSIONS
from simulator.scoring import score_call
from simulator.tui.cells import cell
from simulator.tui.safe import plain
from simulator.tui.widgets.score_card import ScoreCard

if TYPE_CHECKING:
    from simulator.tui.app import CalldrillApp


class DebriefScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "retry", "Retry", id="debrief.retry", tooltip="Play this call again"),
        Binding(
            "escape,b", "library", "Library", id="debrief.library", tooltip="Back to the library"
        ),
    ]

    def __init__(self, call: Call, *, mode: str) -> None:
        super().__init__()
        self.call = call
        self.mode = mode
        self.score = score_call(call)

    @property
    def calldrill(self) -> CalldrillApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        yield Header()
        with TabbedContent(id="debrief-tabs"):
            with TabPane(plain(app.tr("summary_tab")), id="tab-summary"), VerticalScroll():
                names = {k: v.name.get(lang) for k, v in app.library.tags.items()}
                yield ScoreCard(self.score, self.call.ending, lang, names, id="debrief-score")
            with TabPane(plain(app.tr("review_tab")), id="tab-review"):
                table: DataTable[Any] = DataTable(id="debrief-review", cursor_type="row")
                yield table
        with Horizontal(id="debrief-actions"):
            yield Button(plain(app.tr("retry")), id="debrief-retry", variant="primary")
            yield Button(plain(app.tr("to_library")), id="debrief-library")
        yield Footer()

    def on_mount(self) -> None:
        app = self.calldrill
        lang = app.lang
        self.sub_title = self.call.scenario.title.get(lang)
        table: DataTable[Any] = self.query_one("#debrief-review", DataTable)
        for key in ("turn", "your_reply", "turn_points", "best_reply", "feedback"):
            table.add_column(cell(app.tr(key)), key=key)
        sc = self.call.scenario
        for turn in self.call.turns:
            state = sc.states[turn.state]
            choice = state.choice(turn.choice)
            best = state.choice(turn.best)
            total = sum(turn.points[d] for d in DIMENSIONS)
            best_text = app.tr("is_best") if turn.best == turn.choice else best.text.get(lang)
            table.add_row(
                cell(str(turn.number)),
                cell(choice.text.get(lang)),
                cell(f"{total:+d}", "green" if total > 0 else "red"),
                cell(best_text),
                cell(choice.feedback.get(lang)),
                height=None,
            )
        self.query_one("#debrief-retry", Button).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    @on(Button.Pressed, "#debrief-retry")
    def _retry(self) -> None:
        self.action_retry()

    @on(Button.Pressed, "#debrief-library")
    def _library(self) -> None:
        self.action_library()

    def action_retry(self) -> None:
        self.calldrill.open_briefing(self.call.scenario, replace=True)

    def action_library(self) -> None:
        self.app.pop_screen()

"""The debrief: the score, the loop per concern, phases and language, the mood curve,
and every turn next to the best reply on offer. It shows what scoring.debrief computed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Static, TabbedContent, TabPane

from simulator.engine import Call
from simulator.scenario.model import DIMENSIONS
from simulator.scoring import score_call
from simulator.scoring.debrief import debrief
from simulator.tui.cells import cell
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.debrief_typed import misunderstood_summary, review_cells
from simulator.tui.widgets.charts import DimensionChart, MoodChart
from simulator.tui.widgets.score_card import ScoreCard


class DebriefScreen(CalldrillAccess, Screen[None]):
    BINDINGS = [
        Binding("r", "retry", "Retry", id="debrief.retry", tooltip="Play this call again"),
        Binding(
            "escape,b", "library", "Library", id="debrief.library", tooltip="Back to the library"
        ),
        Binding("left", "tab(-1)", "Previous tab", show=False, id="debrief.tab-previous"),
        Binding(
            "w",
            "rewind",
            "Rewind",
            id="debrief.rewind",
            tooltip="Try another reply at the selected turn (practice)",
        ),
        Binding("right", "tab(1)", "Next tab", show=False, id="debrief.tab-next"),
        Binding(
            "t",
            "ticket",
            "Ticket",
            id="debrief.ticket",
            tooltip="Write the ticket (工单) for this call, scored against its facts",
        ),
    ]

    def __init__(self, call: Call, *, mode: str, back: str = "to_library") -> None:
        """``back``: the label key of the way back (pushed from History: "to_history")."""
        super().__init__()
        self.call = call
        self.mode = mode
        self.back = back
        self.score = score_call(call)

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        d = debrief(self.call, lang, app.library.scenarios.values()).as_dict()
        self.data = d
        yield Header()
        with TabbedContent(id="debrief-tabs"):
            with TabPane(plain(app.tr("summary_tab")), id="tab-summary"), VerticalScroll():
                names = {k: v.name.get(lang) for k, v in app.library.tags.items()}
                yield ScoreCard(self.score, self.call.ending, lang, names, id="debrief-score")
                yield Static(
                    join(self._summary_text(d), plain(misunderstood_summary(app, d))),
                    id="debrief-summary",
                )
                yield DimensionChart(
                    [app.tr(x) for x in DIMENSIONS],
                    [self.score.dimensions[x] for x in DIMENSIONS],
                    title=app.tr("chart_dimensions"),
                    id="debrief-dims-chart",
                )
            with TabPane(plain(app.tr("loop_tab")), id="tab-loop"), VerticalScroll():
                yield Static(self._loop_text(d), id="debrief-loops")
            with TabPane(plain(app.tr("phases_tab")), id="tab-phases"), VerticalScroll():
                yield Static(self._phases_text(d), id="debrief-phases")
            with TabPane(plain(app.tr("mood_tab")), id="tab-mood"):
                yield MoodChart(
                    d["mood"],
                    title=app.tr("chart_mood"),
                    xlabel=app.tr("turn"),
                    id="debrief-mood-chart",
                )
                yield Static(self._moves_text(d), id="debrief-moves")
            with TabPane(plain(app.tr("review_tab")), id="tab-review"):
                table: DataTable[Any] = DataTable(id="debrief-review", cursor_type="row")
                yield table
        with Horizontal(id="debrief-actions"):
            yield Button(plain(app.tr("retry")), id="debrief-retry", variant="primary")
            yield Button(plain(app.tr(self.back)), id="debrief-library")
        yield Footer()

    def _summary_text(self, d: dict[str, Any]) -> Any:
        app = self.calldrill
        level = d["service_level"]
        practice = d["practice"]
        sep = "、" if app.lang == "zh" else ", "
        parts: list[Any] = [
            styled(f"{app.tr('service_level')}: ", "bold"),
            plain(level["reason"] + "\n"),
        ]
        if practice["strengths"]:
            parts += [
                styled(f"{app.tr('strengths')}: ", "bold green"),
                plain(sep.join(s["name"] for s in practice["strengths"]) + "\n"),
            ]
        if practice["practise"]:
            parts += [
                styled(f"{app.tr('to_practise')}: ", "bold $warning"),
                plain(sep.join(s["name"] for s in practice["practise"]) + "\n"),
            ]
        nxt = practice["next_scenario"]
        if nxt:
            parts += [
                styled(f"{app.tr('next_scenario')}: ", "bold"),
                plain(f"{nxt['title']} ({nxt['skill_name']})"),
            ]
        return join(*parts)

    def _loop_text(self, d: dict[str, Any]) -> Any:
        app = self.calldrill
        parts: list[Any] = []
        for loop in d["loops"]:
            mark = "✔" if loop["complete"] and loop["in_order"] else "✘"
            style = "bold green" if mark == "✔" else "bold red"
            parts.append(styled(f"{mark} {loop['summary']}\n", style))
            steps = " → ".join(
                f"{app.tr('step_' + s['step'])} ({app.tr('turn')} {s['turn']})"
                for s in loop["steps"]
            )
            if steps:
                parts.append(plain(f"  {steps}\n"))
            parts += [plain(f"  · {finding}\n") for finding in loop["findings"]]
            if loop["model_loop"]:
                parts.append(styled(f"  {app.tr('model_loop')}:\n", "italic"))
                parts += [
                    plain(f"    {app.tr('step_' + m['step'])}: {m['text']}\n")
                    for m in loop["model_loop"]
                ]
            parts.append(plain("\n"))
        yes = d["three_yes"]
        if yes is not None:
            parts.append(styled(f"{app.tr('three_yes')}: {yes['goal']}\n", "bold"))
            for rung in yes["rungs"]:
                where = f"{app.tr('turn')} {rung['turn']}" if rung["turn"] else "—"
                parts.append(plain(f"  {rung['rung']}. {rung['tag']}: {where}\n"))
            parts += [plain(f"  · {f}\n") for f in yes["findings"] + yes["ethics"]]
        return join(*parts)

    def _phases_text(self, d: dict[str, Any]) -> Any:
        app = self.calldrill
        parts: list[Any] = [styled(f"{app.tr('phases')}\n", "bold")]
        for phase in d["phases"]:
            style = {"done": "green", "missed": "red", "out_of_order": "yellow"}[phase["status"]]
            turn = f" ({app.tr('turn')} {phase['turn']})" if phase["turn"] else ""
            parts += [
                plain(f"  {app.tr('phase_' + phase['phase'])}: "),
                styled(phase["label"] + turn + "\n", style),
            ]
        parts.append(styled(f"\n{app.tr('language')}\n", "bold"))
        if not d["language"]:
            parts.append(plain(f"  {app.tr('language_clean')}\n"))
        for item in d["language"]:
            parts += [
                styled(f"  {app.tr('turn')} {item['turn']} · {item['name']}\n", "bold red"),
                plain(f"    “{item['said']}”\n"),
            ]
            if item["better"]:
                parts += [
                    styled(f"    {app.tr('say_instead')}: ", "green"),
                    plain(item["better"] + "\n"),
                ]
        return join(*parts)

    def _moves_text(self, d: dict[str, Any]) -> Any:
        app = self.calldrill
        labels = {v: info["label"] for v, info in d["mood"]["variables"].items()}
        lines = []
        for move in d["mood"]["biggest_moves"]:
            changes = "; ".join(
                f"{labels[c['var']]} {c['delta']:+d} {c['because']}" for c in move["changes"]
            )
            lines.append(f"{app.tr('turn')} {move['turn']}: {changes}")
        return plain("\n".join(lines))

    def on_mount(self) -> None:
        app = self.calldrill
        lang = app.lang
        self.sub_title = self.call.scenario.title.get(lang)
        table: DataTable[Any] = self.query_one("#debrief-review", DataTable)
        for key in ("turn", "your_reply", "turn_points", "best_reply", "feedback"):
            table.add_column(cell(app.tr(key)), key=key)
        for row in self.data["review"]:
            reply, best, feedback = review_cells(app, row)  # typed replies too (free text)
            total = row["total"]
            table.add_row(
                cell(str(row["turn"])),
                cell(reply),
                cell(f"{total:+d}", "green" if total > 0 else "red"),
                cell(best),
                cell(feedback),
                height=None,
            )
        self.query_one("#debrief-retry", Button).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rewind":
            return self.mode == "practice" and bool(self.call.turns)
        return True

    @on(DataTable.RowSelected, "#debrief-review")
    def _row_selected(self) -> None:
        self.action_rewind()

    def action_rewind(self) -> None:
        from simulator.tui.screens.rewind import RewindScreen  # noqa: PLC0415

        if self.mode != "practice" or not self.call.turns:
            return
        tabs = self.query_one("#debrief-tabs", TabbedContent)
        table = self.query_one("#debrief-review", DataTable)
        turn = table.cursor_row + 1 if tabs.active == "tab-review" else len(self.call.turns)

        def done(branched: Call | None) -> None:
            if branched is not None:
                self.calldrill.start_call(
                    self.call.scenario, "practice", branched.seed, call=branched
                )

        self.app.push_screen(RewindScreen(self.call, turn), done)

    def commands(self) -> Iterable[SystemCommand]:
        app = self.calldrill
        yield SystemCommand(app.tr("retry"), "r", self.action_retry)
        yield SystemCommand(app.tr(self.back), "escape", self.action_library)
        if self.mode == "practice" and self.call.turns:
            yield SystemCommand(app.tr("rewind"), "w", self.action_rewind)

    def action_tab(self, delta: int) -> None:
        tabs = self.query_one("#debrief-tabs", TabbedContent)
        ids = [pane.id for pane in tabs.query(TabPane) if pane.id]
        current = ids.index(tabs.active) if tabs.active in ids else 0
        tabs.active = ids[(current + delta) % len(ids)]

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

    def action_ticket(self) -> None:
        from simulator.assessment.ticket import TicketCase  # noqa: PLC0415
        from simulator.tui.screens.exam_ticket import TicketFormScreen  # noqa: PLC0415

        scenario = self.call.scenario
        case = TicketCase.of(scenario, self.call.outcome if self.call.finished else None)
        screen = TicketFormScreen(
            title=scenario.title.get(self.calldrill.lang),
            facts=scenario.customer,
            save=lambda form: True,  # practice: scored on the spot, not kept
            practice_case=case,
        )
        self.app.push_screen(screen)

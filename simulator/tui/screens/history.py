"""History: the trainee's calls, newest first, filtered by scenario or skill; any call
opens its debrief, rebuilt by replaying its stored replies (or, when the scenario has
changed since, the summary saved at the time)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from simulator.i18n import STRINGS
from simulator.tui.cells import cell
from simulator.tui.safe import plain
from simulator.tui.screens.base import CalldrillAccess

if TYPE_CHECKING:
    from simulator.store.queries import HistoryRow

PAGE = 200  # rows listed at first; the next ones come as the cursor reaches the end
TITLE_MIN = 14  # columns for the scenario title, however narrow the terminal
CELL_PADDING = 2  # a DataTable cell's padding, both sides
CHROME = 6  # the table's margins, the title's padding and a scroll bar
COLUMNS = (
    "col_when",
    "col_scenario",
    "col_mode",
    "col_status",
    "col_outcome",
    "col_score",
    "col_passed",
)
TITLE = COLUMNS.index("col_scenario")


class HistoryScreen(CalldrillAccess, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="history.back", tooltip="Back to where you were"),
        Binding("enter", "open", "Debrief", id="history.open", tooltip="Open this call's debrief"),
        Binding(
            "s",
            "focus_filter('history-scenario')",
            "Scenario",
            id="history.filter-scenario",
            tooltip="Filter by scenario",
        ),
        Binding(
            "k",
            "focus_filter('history-skill')",
            "Skill",
            id="history.filter-skill",
            tooltip="Filter by skill",
        ),
        Binding("c", "clear_filters", "Clear", id="history.clear", tooltip="Show every call again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scenario: str | None = None
        self.skill: str | None = None
        self.rows: list[HistoryRow] = []
        self.limit = PAGE
        self.more = False
        self._seen = -1  # attempts in the store when the list was read
        self.total = 0  # this trainee's calls, whatever the filters

    def _label(self, key: str | None) -> str:
        """A stored word (an outcome from another machine, say) in the UI language."""
        if key is None:
            return "—"
        return STRINGS[self.calldrill.lang].get(key, key)

    def _title(self, scenario_id: str) -> str:
        summary = self.calldrill.index.scenarios.get(scenario_id)
        return summary.title.get(self.calldrill.lang) if summary else scenario_id

    def compose(self) -> ComposeResult:
        from simulator.store.queries import (  # noqa: PLC0415
            played_scenarios,
            practised_skills,
        )

        app = self.calldrill
        assert app.store is not None and app.trainee is not None
        played = played_scenarios(app.store, app.trainee.id)
        self._seen, self.total = app.store.count_attempts(), sum(played.values())
        names = app.index.tag_names
        yield Header()
        yield Static(id="history-who")
        with Horizontal(id="history-filters"):
            yield Select(
                [
                    (cell(self._title(sid)), sid)
                    for sid in sorted(played, key=lambda s: (self._title(s), s))
                ],
                prompt=app.tr("all_scenarios"),
                value=self.scenario if self.scenario in played else Select.NULL,
                id="history-scenario",
            )
            skills = practised_skills(app.store, app.trainee.id)
            yield Select(
                [(cell(names[k].get(app.lang) if k in names else k), k) for k in skills],
                prompt=app.tr("all_skills"),
                value=self.skill if self.skill in skills else Select.NULL,
                id="history-skill",
            )
        table: DataTable[Any] = DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="history-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("history_title")
        self._fill()
        self.query_one("#history-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        # Back from a debrief, perhaps after playing the call again: list it too.
        app = self.calldrill
        if self.query("#history-table") and app.store and app.store.count_attempts() != self._seen:
            self._fill(keep_cursor=True)  # _read notes the new count

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    def _read(self) -> list[HistoryRow]:
        """The newest ``limit`` calls that pass the filters; notes whether there are more."""
        from simulator.store.queries import history, played_scenarios  # noqa: PLC0415

        app = self.calldrill
        assert app.store is not None and app.trainee is not None
        seen = app.store.count_attempts()
        if seen != self._seen:  # a call was added since (or this is the first read)
            self._seen = seen
            self.total = sum(played_scenarios(app.store, app.trainee.id).values())
        rows = history(
            app.store,
            app.trainee.id,
            scenario=self.scenario,
            skill=self.skill,
            limit=self.limit + 1,
        )
        self.more = len(rows) > self.limit
        return rows[: self.limit]

    def _fill(self, *, keep_cursor: bool = False) -> None:
        app = self.calldrill
        table: DataTable[Any] = self.query_one("#history-table", DataTable)
        row_at = table.cursor_row
        if not keep_cursor:
            self.limit = PAGE
        self.rows = self._read()
        table.clear(columns=True)
        # The title gives way first, so that the other columns fit (80 columns in Chinese).
        cells = [self._cells(r) for r in self.rows]
        widths = [
            max([cell_len(app.tr(key)), *(c[i].cell_len for c in cells)])
            for i, key in enumerate(COLUMNS)
        ]
        others = sum(w + CELL_PADDING for i, w in enumerate(widths) if i != TITLE) + CHROME
        title_width = max(widths[TITLE], TITLE_MIN)
        title_width = min(title_width, max(TITLE_MIN, app.size.width - others))
        for i, key in enumerate(COLUMNS):
            table.add_column(cell(app.tr(key)), key=key, width=title_width if i == TITLE else None)
        self._add_rows(self.rows)
        if keep_cursor and self.rows:
            table.move_cursor(row=min(row_at, len(self.rows) - 1))
        self._describe()
        empty = self.query_one("#history-empty", Static)
        empty.update(plain(app.tr("history_empty" if not self.total else "history_no_match")))
        empty.display = not self.rows
        table.display = bool(self.rows)

    def _describe(self) -> None:
        app = self.calldrill
        assert app.trainee is not None
        who = app.tr("history_who", name=app.trainee.name, n=self.total)
        more_note = f"  {app.tr('history_more', n=len(self.rows))}" if self.more else ""
        self.query_one("#history-who", Static).update(plain(who + more_note))

    def _add_rows(self, rows: list[HistoryRow]) -> None:
        table: DataTable[Any] = self.query_one("#history-table", DataTable)
        for r in rows:
            table.add_row(*self._cells(r), key=str(r.id))

    def _cells(self, r: HistoryRow) -> tuple[Text, ...]:
        app = self.calldrill
        passed = (
            cell("—")
            if r.passed is None
            else cell(app.tr("passed"), "green")
            if r.passed
            else cell(app.tr("failed"), "red")
        )
        return (
            cell(r.started_at.astimezone().strftime("%Y-%m-%d %H:%M")),
            cell(self._title(r.scenario_id)),
            cell(app.tr("mode_exam" if r.mode == "exam" else "mode_practice")),
            cell(self._label(f"status_{r.status}"), "" if r.status == "finished" else "yellow"),
            cell(self._label(r.outcome)),
            cell("—" if r.total is None else f"{r.total:g}"),
            passed,
        )

    @on(DataTable.RowHighlighted, "#history-table")
    def _maybe_more(self, event: DataTable.RowHighlighted) -> None:
        # The next page once the cursor reaches the last row listed.
        if self.more and event.cursor_row >= len(self.rows) - 1:
            self.limit += PAGE
            known = {r.id for r in self.rows}
            new = [r for r in self._read() if r.id not in known]
            self.rows += new
            self._add_rows(new)
            self._describe()

    @on(Select.Changed)
    def _refilter(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if event.select.id == "history-scenario":
            self.scenario = value
        elif event.select.id == "history-skill":
            self.skill = value
        self._fill()

    @on(DataTable.RowSelected, "#history-table")
    def _selected(self) -> None:
        self.action_open()

    def selected(self) -> HistoryRow | None:
        table = self.query_one("#history-table", DataTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def action_open(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_attempt(row)

    def open_attempt(self, row: HistoryRow) -> None:
        """The call's full debrief when it replays as stored; else the saved summary."""
        from simulator.store.queries import stored_debrief  # noqa: PLC0415
        from simulator.store.replay import CHANGED, GONE, replay  # noqa: PLC0415
        from simulator.store.store import FINISHED  # noqa: PLC0415
        from simulator.tui.screens.debrief import DebriefScreen  # noqa: PLC0415
        from simulator.tui.screens.stored_debrief import StoredDebriefScreen  # noqa: PLC0415

        app = self.calldrill
        assert app.store is not None
        attempt = app.store.attempt(row.id)
        if attempt is None:  # removed meanwhile (by an import on another screen, say)
            self._fill()
            return
        if attempt.status != FINISHED and not attempt.turns:
            app.notify(app.tr("history_no_turns"), markup=False)
            return
        done = replay(app.store, attempt, app.library)
        if done.call is not None:
            app.push_screen(DebriefScreen(done.call, mode=attempt.mode, back="to_history"))
            return
        report = stored_debrief(app.store, attempt.id)
        if report is None:
            app.notify(app.tr("stored_none"), markup=False)
            return
        why = {GONE: "stored_gone", CHANGED: "stored_changed"}.get(
            done.why or "", "stored_mismatch"
        )
        values = {"old": attempt.scenario_version, "new": done.version_now}
        score = "—" if attempt.total is None else f"{attempt.total:g}/100"
        fallback = f"{self._title(attempt.scenario_id)} · {app.tr('score')} {score}"
        app.push_screen(StoredDebriefScreen(report, why, values, fallback))

    def action_focus_filter(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}", Select).focus()

    def action_clear_filters(self) -> None:
        for select in self.query(Select):
            select.clear()

    def action_back(self) -> None:
        self.app.pop_screen()

    def commands(self) -> Iterable[SystemCommand]:
        app = self.calldrill
        if self.selected() is not None:
            yield SystemCommand(app.tr("open_debrief"), "enter", self.action_open)
        yield SystemCommand(app.tr("clear_filters"), "c", self.action_clear_filters)
        yield SystemCommand(app.tr("back"), "escape", self.action_back)

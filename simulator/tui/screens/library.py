"""The library: every scenario, filtered by persona, difficulty and skill, searchable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from simulator.scenario.summary import DIFFICULTIES, ScenarioSummary
from simulator.scenario.text import strip_control
from simulator.tui.cells import cell
from simulator.tui.safe import plain
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.filter_picker import FilterPicker
from simulator.tui.widgets.filter_bar import Filter, FilterBar

if TYPE_CHECKING:
    from simulator.scenario.model import Scenario

_ALL = "*"
FILTERS = ("persona", "difficulty", "skill")
_ALL_PROMPT = {"persona": "all_personas", "difficulty": "all_difficulties", "skill": "all_skills"}


def matches(
    sc: Scenario | ScenarioSummary, query: str, persona: str, difficulty: str, skill: str
) -> bool:
    """Whether a scenario passes the filters; the query matches id, titles and skills."""
    if persona not in (_ALL, sc.persona.id):
        return False
    if difficulty not in (_ALL, sc.difficulty):
        return False
    if skill != _ALL and skill not in sc.skills:
        return False
    q = query.strip().lower()
    if not q:
        return True
    haystack = " ".join(
        [sc.id, sc.title.zh, sc.title.en, *sc.skills, sc.persona.name.zh, sc.persona.name.en]
    ).lower()
    return all(word in haystack for word in q.split())


class LibraryScreen(CalldrillAccess, Screen[None]):
    BINDINGS = [
        Binding("down", "cursor(1)", "Down", show=False, id="library.down"),
        Binding("up", "cursor(-1)", "Up", show=False, id="library.up"),
        Binding("enter", "open", "Open", id="library.open", tooltip="Open the briefing"),
        Binding("slash", "focus_search", "Search", id="library.search", show=False),
        Binding(
            "escape",
            "clear_search",
            "Clear",
            id="library.clear",
            show=False,
            tooltip="Clear the search; pressed again, the filters",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        # The chosen value per filter (_ALL: no filter); kept across a language switch.
        self.chosen: dict[str, str] = dict.fromkeys(FILTERS, _ALL)

    def compose(self) -> ComposeResult:
        app = self.calldrill
        yield Header()
        yield Input(placeholder=app.tr("search"), id="library-search")
        yield FilterBar(self._filter_states(), id="library-filters")
        table: DataTable[Any] = DataTable(id="library-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(plain(app.tr("no_match")), id="library-empty")
        yield Footer()

    def filter_options(self, key: str) -> list[tuple[str, str]]:
        """(shown, value) per value of the filter ``key``, "all" first, in the app's language."""
        app = self.calldrill
        index, lang = app.index, app.lang
        if key == "persona":
            personas = {s.persona.id: s.persona for s in index.scenarios.values()}
            values = [(personas[p].name.get(lang), p) for p in sorted(personas)]
        elif key == "difficulty":
            values = [(app.tr(d), d) for d in DIFFICULTIES]
        else:
            # In the tags file's order, which follows a call from greeting to closing: an
            # order that reads the same in both languages.
            place = {k: i for i, k in enumerate(index.tag_names)}
            used = {k for s in index.scenarios.values() for k in s.skills}
            skills = sorted(used, key=lambda k: (place.get(k, len(place)), k))
            values = [
                (index.tag_names[k].get(lang) if k in index.tag_names else k, k) for k in skills
            ]
        return [(app.tr(_ALL_PROMPT[key]), _ALL), *values]

    def _filter_states(self) -> list[Filter]:
        out = []
        for key in FILTERS:
            options = {value: shown for shown, value in self.filter_options(key)}
            value = self.chosen[key] if self.chosen[key] in options else _ALL
            out.append(Filter(key, options[value], value != _ALL))
        return out

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("library")
        self._fill()
        search = self.query_one("#library-search", Input)
        search.cursor_blink = not self.calldrill.still
        search.focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    def choose(self, key: str, value: str) -> None:
        """Set the filter ``key`` to ``value`` (_ALL: every scenario) and list again."""
        self.chosen[key] = value
        self._refilter()

    def _refilter(self) -> None:
        self.query_one("#library-filters", FilterBar).show(self._filter_states())
        self._fill()

    @on(FilterBar.Opened, "#library-filters")
    def _open_picker(self, event: FilterBar.Opened) -> None:
        self.action_pick(event.key)

    def action_pick(self, key: str) -> None:
        def picked(value: str | None) -> None:
            # Once the picker has gone: refilled inside this callback, the DataTable
            # measured its columns by their headers alone (Textual 8.2).
            if value is not None:
                self.call_after_refresh(self.choose, key, value)

        picker = FilterPicker(
            self.calldrill.tr(f"filter_{key}"), self.filter_options(key), self.chosen[key]
        )
        self.app.push_screen(picker, picked)

    def _filters(self) -> tuple[str, str, str, str]:
        return (
            self.query_one("#library-search", Input).value,
            self.chosen["persona"],
            self.chosen["difficulty"],
            self.chosen["skill"],
        )

    def matching(self) -> list[ScenarioSummary]:
        query, persona, difficulty, skill = self._filters()
        index = self.calldrill.index
        order = {d: i for i, d in enumerate(DIFFICULTIES)}
        rows = [
            s for s in index.scenarios.values() if matches(s, query, persona, difficulty, skill)
        ]
        return sorted(rows, key=lambda s: (order[s.difficulty], s.persona.id, s.id))

    def _fill(self) -> None:
        app = self.calldrill
        lang = app.lang
        table: DataTable[Any] = self.query_one("#library-table", DataTable)
        table.clear(columns=True)
        # The skills last: the longest cell, it would push the best score out of view.
        for key in (
            "col_title",
            "col_persona",
            "col_difficulty",
            "col_kind",
            "col_best",
            "col_skills",
        ):
            table.add_column(cell(app.tr(key)), key=key)
        rows = self.matching()
        for sc in rows:
            skills = (
                "、".join(app.index.tag_names[k].get(lang) for k in sc.skills)
                if lang == "zh"
                else ", ".join(app.index.tag_names[k].get(lang) for k in sc.skills)
            )
            table.add_row(
                cell(sc.title.get(lang)),
                cell(sc.persona.name.get(lang)),
                cell(app.tr(sc.difficulty)),
                cell(app.tr(sc.kind)),
                cell(f"{best:g}" if (best := app.best.get(sc.id)) is not None else "—"),
                cell(skills),
                key=sc.id,
            )
        self.query_one("#library-empty", Static).display = not rows

    def show_best(self) -> None:
        """The trainee's best scores came in (or changed): redraw, keeping the cursor."""
        table = self.query_one("#library-table", DataTable)
        row = table.cursor_row
        self._fill()
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    @on(Input.Changed, "#library-search")
    def _search_changed(self, event: Input.Changed) -> None:
        # Typed or pasted text may carry escape sequences: keep only printable text.
        clean = strip_control(event.value)
        if clean != event.value:
            event.input.value = clean
            return
        self._fill()

    @on(Input.Submitted, "#library-search")
    def _submitted(self) -> None:
        self.action_open()

    @on(DataTable.RowSelected, "#library-table")
    def _selected(self) -> None:
        self.action_open()

    def action_cursor(self, delta: int) -> None:
        table = self.query_one("#library-table", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_focus_search(self) -> None:
        self.query_one("#library-search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#library-search", Input)
        if search.value:
            search.value = ""
        elif any(v != _ALL for v in self.chosen.values()):
            self.chosen = dict.fromkeys(FILTERS, _ALL)
            self._refilter()

    def selected(self) -> ScenarioSummary | None:
        table = self.query_one("#library-table", DataTable)
        rows = self.matching()
        if not rows or not table.row_count:
            return None
        return rows[min(table.cursor_row, len(rows) - 1)]

    def action_open(self) -> None:
        summary = self.selected()
        if summary is not None:
            app = self.calldrill
            app.open_briefing(app.library.scenarios[summary.id])

    def commands(self) -> Iterable[SystemCommand]:
        # The palette parses titles as markup, so only validated ids (a-z, 0-9, -) go in.
        app = self.calldrill
        for key in FILTERS:
            yield SystemCommand(
                app.tr(f"filter_{key}"),
                app.tr(f"filter_{key}"),
                lambda key=key: self.action_pick(key),
            )
        for sc in sorted(app.index.scenarios.values(), key=lambda s: s.id):
            yield SystemCommand(
                f"{app.tr('open')}: {sc.id}",
                f"{sc.difficulty} · {sc.persona.id}",
                lambda sid=sc.id: self.calldrill.open_briefing(
                    self.calldrill.library.scenarios[sid]
                ),
            )

"""The instructor's class report in the app: per trainee, group and scenario, and the
observers' calibration against the engine (docs/drills.md)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static, TabbedContent, TabPane

from simulator.report.class_summary import ClassSummary, summarise
from simulator.scenario.model import DIMENSIONS
from simulator.tui.cells import cell
from simulator.tui.safe import plain, styled
from simulator.tui.screens.base import CalldrillAccess

_ALL = "__all__"


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


class ClassReportScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    ClassReportScreen #class-report-body { padding: 0 1; }
    ClassReportScreen DataTable { height: auto; max-height: 24; }
    ClassReportScreen .note { color: $text-muted; height: auto; }
    """
    BINDINGS = [Binding("escape", "back", "Back", id="class-report.back")]

    def __init__(self, class_name: str | None = None) -> None:
        super().__init__()
        self.class_name = class_name

    def _summary(self) -> tuple[ClassSummary, list[str]]:
        app = self.calldrill
        if app.store is None:
            return summarise([], {}), []
        from simulator.store.drills import class_names, class_rounds, skill_totals  # noqa: PLC0415

        rounds = class_rounds(app.store, self.class_name)
        skills = skill_totals(app.store, [r.attempt_id for r in rounds if r.attempt_id])
        return summarise(rounds, skills, self.class_name), class_names(app.store)

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        summary, classes = self._summary()
        names = app.index.tag_names
        yield Header()
        with VerticalScroll(id="class-report-body"):
            yield Static(styled(app.tr("class_report_title"), "bold"))
            if classes:
                choose: Select[str] = Select(
                    [(cell(c), c) for c in classes],
                    prompt=app.tr("drill_any"),
                    id="class-report-class",
                )
                if self.class_name in classes:
                    choose.value = self.class_name
                yield choose
            yield Static(
                plain(app.tr("class_report_counts", drills=summary.drills, rounds=summary.rounds)),
                id="class-report-counts",
            )
            if not summary.rounds:
                yield Static(plain(app.tr("class_report_none")), id="class-report-none")
            with TabbedContent():
                with TabPane(app.tr("class_per_trainee"), id="class-tab-trainees"):
                    table: DataTable[object] = DataTable(id="class-trainees")
                    table.add_columns(
                        app.tr("class_col_trainee"),
                        app.tr("class_col_as_agent"),
                        app.tr("class_col_as_customer"),
                        app.tr("class_col_as_observer"),
                        app.tr("class_col_engine"),
                        app.tr("class_col_observed"),
                        app.tr("class_col_weakest"),
                    )
                    sep = "、" if lang == "zh" else ", "
                    for r in summary.trainees:
                        weakest = sep.join(
                            f"{names[t].get(lang) if t in names else t} {h}/{c}"
                            for t, h, c in r.weakest
                        )
                        table.add_row(
                            cell(r.name),
                            str(r.as_agent),
                            str(r.as_customer),
                            str(r.as_observer),
                            _n(r.engine_mean),
                            _n(r.observed_mean),
                            cell(weakest),
                        )
                    yield table
                with TabPane(app.tr("class_per_group"), id="class-tab-groups"):
                    groups: DataTable[object] = DataTable(id="class-groups")
                    groups.add_columns(
                        app.tr("class_col_group"),
                        app.tr("class_col_rounds"),
                        app.tr("class_col_engine"),
                        app.tr("class_col_observed"),
                        app.tr("class_col_over_runs"),
                    )
                    for g in summary.groups:
                        groups.add_row(
                            cell(g.name),
                            str(g.rounds),
                            _n(g.engine_mean),
                            _n(g.observed_mean),
                            str(g.over_runs),
                        )
                    yield groups
                with TabPane(app.tr("class_per_scenario"), id="class-tab-scenarios"):
                    scen: DataTable[object] = DataTable(id="class-scenarios")
                    scen.add_columns(
                        app.tr("class_col_scenario"),
                        app.tr("class_col_rounds"),
                        app.tr("class_col_engine"),
                        app.tr("class_col_observed"),
                        *(app.tr(d) for d in DIMENSIONS),
                    )
                    for x in summary.scenarios:
                        found = app.index.scenarios.get(x.scenario_id)
                        title = found.title.get(lang) if found else x.scenario_id
                        scen.add_row(
                            cell(title),
                            str(x.rounds),
                            _n(x.engine_mean),
                            _n(x.observed_mean),
                            *(
                                _n(round(sum(v) / len(v), 1) if v else None)
                                for v in x.dims.values()
                            ),
                        )
                    yield scen
                with TabPane(app.tr("class_calibration"), id="class-tab-calibration"):
                    yield Static(plain(app.tr("class_calibration_note")), classes="note")
                    cal: DataTable[object] = DataTable(id="class-calibration")
                    cal.add_columns(
                        app.tr("drill_role_observer"),
                        app.tr("class_col_sheets"),
                        app.tr("class_col_mad"),
                        app.tr("class_col_bias"),
                        "",
                    )
                    for c in summary.calibration:
                        verdict = app.tr(f"class_{c.verdict}") if c.verdict else "—"
                        style = "" if c.verdict in ("fair", "") else "bold red"
                        cal.add_row(
                            cell(c.observer),
                            str(c.sheets),
                            _n(c.mad),
                            f"{c.bias:+g}" if c.bias is not None else "—",
                            cell(verdict, style),
                        )
                    yield cal
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("class_report_title")

    async def relabel(self) -> None:
        await self.recompose()

    @on(Select.Changed, "#class-report-class")
    async def _class_changed(self, event: Select.Changed) -> None:
        value = event.value
        chosen = value if isinstance(value, str) and value != _ALL else None
        if chosen != self.class_name:
            self.class_name = chosen
            await self.recompose()

    def action_back(self) -> None:
        self.app.pop_screen()

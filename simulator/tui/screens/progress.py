"""Progress: score trends per rubric dimension, hit rates per skill, and the three
weakest skills with the scenarios that practise them (Enter opens one's briefing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from simulator.scenario.model import DIMENSIONS
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.widgets.score_trend import ScoreTrendChart
from simulator.tui.widgets.skill_bars import SkillBars, rate_style
from simulator.tui.widgets.trend_legend import TrendLegend

if TYPE_CHECKING:
    from simulator.store.queries import Progress, SkillRate

SKILL_ROWS = 8  # bars: the skills with the most chances
SPARK = "▁▂▃▄▅▆▇█"
SPARK_DAYS = 14
SPARK_MIN = 3  # fewer days say nothing about a trend


def sparkline(days: list[tuple[str, int, int]]) -> str:
    """The daily hit rate of the last days with a chance, one block each."""
    rates = [h / c for _, h, c in days[-SPARK_DAYS:] if c]
    if len(rates) < SPARK_MIN:
        return ""
    return "".join(SPARK[min(len(SPARK) - 1, int(r * len(SPARK)))] for r in rates)


class ProgressScreen(CalldrillAccess, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="progress.back", tooltip="Back to where you were"),
        Binding(
            "enter",
            "open",
            "Briefing",
            id="progress.open",
            tooltip="Open the briefing of the selected scenario",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Progress | None = None
        self._seen = -1  # attempts in the store when the data was read

    def _load(self) -> Progress:
        from simulator.store.queries import progress  # noqa: PLC0415

        app = self.calldrill
        assert app.store is not None and app.trainee is not None
        lib = app.library
        self._seen = app.store.count_attempts()
        return progress(app.store, app.trainee.id, lib.tags, lib.scenarios.values())

    def _tag_name(self, tag: str) -> str:
        tags = self.calldrill.library.tags
        return tags[tag].name.get(self.calldrill.lang) if tag in tags else tag

    def compose(self) -> ComposeResult:
        app = self.calldrill
        assert app.trainee is not None
        if self.data is None:
            self.data = self._load()
        data = self.data
        yield Header()
        yield Static(
            plain(app.tr("progress_who", name=app.trainee.name, n=data.attempts)),
            id="progress-who",
        )
        if not data.attempts:
            yield Static(plain(app.tr("progress_empty")), id="progress-empty")
            yield Footer()
            return
        with Horizontal(id="progress-main"):
            with Vertical(id="progress-charts"):
                title = "chart_trend_daily" if data.per_day else "chart_trend"
                yield Static(plain(app.tr(title)), classes="chart-title")
                yield ScoreTrendChart(data.dimensions, daily=data.per_day, id="progress-trend")
                legend = {d: app.tr(d) for d in DIMENSIONS} | {"total": app.tr("score")}
                yield TrendLegend(legend, id="progress-legend")
                yield Static(plain(app.tr("chart_skills")), classes="chart-title")
                shown = sorted(
                    (s for s in data.skills if s.good and s.chances),
                    key=lambda s: (-s.chances, s.tag),
                )[:SKILL_ROWS]
                bars = [(self._tag_name(s.tag), s.hits, s.chances) for s in shown]
                yield SkillBars(bars, id="progress-skills")
            with Vertical(id="progress-weak"):
                yield Static(plain(app.tr("weakest_title")), classes="section-title")
                yield OptionList(*self._weak_options(data), id="progress-weak-list")
        yield Footer()

    def _weak_options(self, data: Progress) -> list[Option]:
        from simulator.store.queries import MIN_CHANCES  # noqa: PLC0415

        app = self.calldrill
        if not data.weakest:
            return [Option(plain(app.tr("weak_none", n=MIN_CHANCES)), disabled=True)]
        options: list[Option] = []
        for i, s in enumerate(data.weakest):
            options.append(Option(self._weak_head(s, data), id=f"skill-{i}", disabled=True))
            practise = data.practise.get(s.tag, [])
            for sid in practise:
                summary = app.index.scenarios.get(sid)
                title = summary.title.get(app.lang) if summary else sid
                options.append(Option(join(plain("  ▸ "), plain(title)), id=f"{i}:{sid}"))
            if not practise:
                options.append(Option(plain(f"  {app.tr('practise_none')}"), disabled=True))
        return options

    def _weak_head(self, s: SkillRate, data: Progress) -> Content:
        app = self.calldrill
        line = app.tr(
            "weak_line",
            name=self._tag_name(s.tag),
            hits=s.hits,
            chances=s.chances,
            rate=round(s.rate * 100),
        )
        parts = [styled(line, f"bold {rate_style(s.rate)}")]
        spark = sparkline(data.skill_trends.get(s.tag, []))
        if spark:
            parts += [plain("\n  "), plain(app.tr("trend_recent", days=spark))]
        return join(*parts)

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("progress_title")
        found = self.query("#progress-weak-list")
        if found:
            weak = found.first(OptionList)
            weak.focus()
            first = next((k for k, o in enumerate(weak.options) if not o.disabled), None)
            weak.highlighted = first

    def on_screen_resume(self) -> None:
        # Back from a call started here: its score belongs in the trends.
        app = self.calldrill
        if (
            self.data is not None
            and app.store is not None
            and app.store.count_attempts() != (self._seen)
        ):
            self.data = None
            self.call_later(self.relabel)

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    def _scenario_of(self, option: Option | None) -> str | None:
        if option is None or option.disabled or not option.id or ":" not in option.id:
            return None
        return option.id.split(":", 1)[1]

    @on(OptionList.OptionSelected, "#progress-weak-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(self._scenario_of(event.option))

    def action_open(self) -> None:
        found = self.query("#progress-weak-list")
        if found:
            weak = found.first(OptionList)
            option = weak.highlighted_option if weak.highlighted is not None else None
            self._open(self._scenario_of(option))

    def _open(self, scenario_id: str | None) -> None:
        app = self.calldrill
        if scenario_id is not None and scenario_id in app.library.scenarios:
            app.open_briefing(app.library.scenarios[scenario_id])

    def action_back(self) -> None:
        self.app.pop_screen()

    def commands(self) -> Iterable[SystemCommand]:
        # The palette parses its text as markup: only validated scenario ids go in.
        app = self.calldrill
        yield SystemCommand(app.tr("back"), "escape", self.action_back)
        data = self.data
        if data is None:
            return
        seen: set[str] = set()
        for s in data.weakest:
            for sid in data.practise.get(s.tag, []):
                if sid not in seen:
                    seen.add(sid)
                    yield SystemCommand(
                        f"{app.tr('open')}: {sid}",
                        s.tag,
                        lambda sid=sid: self._open(sid),
                    )

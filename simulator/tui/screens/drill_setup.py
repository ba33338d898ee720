"""Drill set-up: the group (typed names or saved profiles), the scenarios or a
tier/persona filter, the number of rounds and the phase lengths."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Select, SelectionList, Static

from simulator.drill.choose import ChoiceError, ScenarioFilter, choose_scenarios
from simulator.drill.phases import PhasePlan
from simulator.drill.rotation import MAX_GROUP, PlanError
from simulator.drill.session import DrillRun
from simulator.scenario.model import DIFFICULTIES
from simulator.scenario.text import strip_control
from simulator.tui.cells import cell
from simulator.tui.safe import plain, styled
from simulator.tui.screens.base import CalldrillAccess


class DrillSetupScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    DrillSetupScreen #drill-setup-body { padding: 0 2; }
    DrillSetupScreen .drill-label { margin-top: 1; color: $text-muted; }
    DrillSetupScreen #drill-names Input { width: 1fr; }
    DrillSetupScreen #drill-names, DrillSetupScreen #drill-filters { height: auto; }
    DrillSetupScreen #drill-profiles { height: auto; max-height: 8; }
    DrillSetupScreen #drill-error { color: $error; height: auto; }
    DrillSetupScreen #drill-setup-buttons { height: auto; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "back", "Back", id="drill.back")]

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        # Injectable so tests run the phases on a clock they move themselves.
        self.clock = clock

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        yield Header()
        with VerticalScroll(id="drill-setup-body"):
            yield Static(styled(app.tr("drill_setup_title"), "bold"))
            yield Static(plain(app.tr("drill_names")), classes="drill-label")
            with Horizontal(id="drill-names"):
                for n in range(1, MAX_GROUP + 1):
                    yield Input(placeholder=f"{n}", id=f"drill-name-{n}", max_length=100)
            if app.store is not None:
                profiles = app.store.trainees()
                if profiles:
                    yield Static(plain(app.tr("drill_pick_profiles")), classes="drill-label")
                    yield SelectionList[str](
                        *((cell(p.name), p.name) for p in profiles), id="drill-profiles"
                    )
            yield Static(plain(app.tr("drill_scenarios")), classes="drill-label")
            yield Input(id="drill-scenarios", placeholder="angry-delivery, privacy-trap")
            personas = sorted(
                {s.persona.id: s.persona for s in app.index.scenarios.values()}.values(),
                key=lambda p: p.id,
            )
            with Horizontal(id="drill-filters"):
                yield Select(
                    [(cell(app.tr(d)), d) for d in DIFFICULTIES],
                    prompt=f"{app.tr('drill_difficulty')}: {app.tr('drill_any')}",
                    id="drill-difficulty",
                )
                yield Select(
                    [(cell(p.name.get(lang)), p.id) for p in personas],
                    prompt=f"{app.tr('drill_persona')}: {app.tr('drill_any')}",
                    id="drill-persona",
                )
            yield Static(plain(app.tr("drill_rounds")), classes="drill-label")
            yield Input("3", id="drill-rounds", type="integer", max_length=2)
            yield Static(plain(app.tr("drill_seconds")), classes="drill-label")
            default = PhasePlan()
            yield Input(
                f"{default.prepare}/{default.roleplay}/{default.feedback}",
                id="drill-seconds",
                max_length=20,
            )
            yield Static(plain(app.tr("drill_class")), classes="drill-label")
            yield Input(id="drill-class", max_length=100)
            yield Static("", id="drill-error")
            with Horizontal(id="drill-setup-buttons"):
                yield Button(plain(app.tr("drill_make_plan")), id="drill-plan", variant="primary")
                if app.store is not None:
                    yield Button(plain(app.tr("drill_class_report")), id="drill-report")
                yield Button(plain(app.tr("back")), id="drill-setup-back")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("drill")
        first = self.query_one("#drill-name-1", Input)
        for field in self.query(Input):
            field.cursor_blink = not self.calldrill.still
        first.focus()

    async def relabel(self) -> None:
        # What was typed and chosen survives a language switch.
        typed = {f.id: f.value for f in self.query(Input) if f.id}
        chosen = {s.id: s.value for s in self.query(Select) if s.id}
        found = self.query("#drill-profiles")
        picked = list(found.first(SelectionList).selected) if found else []
        await self.recompose()
        self.on_mount()
        for widget_id, value in typed.items():
            self.query_one(f"#{widget_id}", Input).value = value
        for widget_id, option in chosen.items():
            self.query_one(f"#{widget_id}", Select).value = option
        for name in picked:
            self.query_one("#drill-profiles", SelectionList).select(name)

    def _group(self) -> list[str]:
        names = [
            strip_control(self.query_one(f"#drill-name-{n}", Input).value).strip()
            for n in range(1, MAX_GROUP + 1)
        ]
        names = [n for n in names if n]
        found = self.query("#drill-profiles")
        if found:
            picked = found.first(SelectionList).selected
            names += [p for p in picked if p not in names]
        return names

    def _phases(self) -> PhasePlan:
        raw = self.query_one("#drill-seconds", Input).value.replace(" ", "")
        parts = raw.split("/")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise ValueError(self.calldrill.tr("drill_seconds"))
        return PhasePlan(int(parts[0]), int(parts[1]), int(parts[2]))

    def make_run(self) -> DrillRun:
        """The drill as set up; raises ValueError with a message to show."""
        app = self.calldrill
        rounds_text = self.query_one("#drill-rounds", Input).value.strip()
        rounds = int(rounds_text) if rounds_text.isdigit() else 0
        ids = [
            s.strip()
            for s in strip_control(self.query_one("#drill-scenarios", Input).value).split(",")
            if s.strip()
        ]
        difficulty = self.query_one("#drill-difficulty", Select).value
        persona = self.query_one("#drill-persona", Select).value
        where = ScenarioFilter(
            difficulty if isinstance(difficulty, str) else None,
            persona if isinstance(persona, str) else None,
        )
        seed = app.fixed_seed if app.fixed_seed is not None else secrets.randbelow(2**31)
        class_name = strip_control(self.query_one("#drill-class", Input).value).strip() or None
        phases = self._phases()
        group = self._group()
        try:
            scenarios = choose_scenarios(
                app.index.scenarios, max(1, rounds), ids=ids, where=where, seed=seed
            )
            return DrillRun(
                group,
                scenarios[:rounds] if rounds else [],
                phases,
                class_name=class_name,
                clock=self.clock,
            )
        except (PlanError, ChoiceError) as exc:
            raise ValueError(str(exc)) from None

    @on(Button.Pressed, "#drill-plan")
    def action_plan(self) -> None:
        error = self.query_one("#drill-error", Static)
        try:
            run = self.make_run()
        except ValueError as exc:
            error.update(plain(str(exc)))
            self.app.bell()
            return
        error.update("")
        from simulator.tui.screens.drill_plan import DrillPlanScreen  # noqa: PLC0415

        self.app.push_screen(DrillPlanScreen(run))

    @on(Button.Pressed, "#drill-report")
    def action_report(self) -> None:
        from simulator.tui.screens.drill_class_report import ClassReportScreen  # noqa: PLC0415

        self.app.push_screen(ClassReportScreen())

    @on(Button.Pressed, "#drill-setup-back")
    def action_back(self) -> None:
        self.app.pop_screen()

    def commands(self) -> Iterable[SystemCommand]:
        app = self.calldrill
        yield SystemCommand(app.tr("drill_make_plan"), app.tr("drill"), self.action_plan)
        if app.store is not None:
            yield SystemCommand(
                app.tr("drill_class_report"), app.tr("class_report_title"), self.action_report
            )

"""The briefing: the situation, the customer, the goal, what is scored; then pick a mode."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from simulator.i18n import fact_label
from simulator.scenario.model import Scenario
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.base import CalldrillAccess


class BriefingScreen(CalldrillAccess, Screen[None]):
    BINDINGS = [
        Binding("p", "start('practice')", "Practice", id="briefing.practice"),
        Binding("e", "start('exam')", "Exam", id="briefing.exam"),
        Binding(
            "t",
            "toggle_free_text",
            "Free text",
            id="briefing.free-text",
            tooltip="Type replies in your own words / 自由输入",
        ),
        Binding("escape", "back", "Back", id="briefing.back"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        app = self.calldrill
        lang = app.lang
        sc = self.scenario
        tags = app.library.tags
        yield Header()
        with VerticalScroll(id="briefing-body"):
            yield Static(styled(sc.title.get(lang), "bold"), id="briefing-title")
            yield Static(
                plain(f"{app.tr(sc.kind)} · {app.tr(sc.difficulty)} · {sc.persona.name.get(lang)}"),
                id="briefing-meta",
            )
            yield Static(plain(app.tr("situation")), classes="section-title")
            yield Static(plain(sc.brief.get(lang)), id="briefing-brief")
            yield Static(plain(app.tr("customer_facts")), classes="section-title")
            facts = "\n".join(
                f"· {fact_label(lang, key)}: {value.get(lang)}"
                for key, value in sc.customer.items()
            )
            yield Static(plain(facts), id="briefing-facts")
            yield Static(plain(app.tr("goal")), classes="section-title")
            yield Static(plain(sc.goal.get(lang)), id="briefing-goal")
            yield Static(plain(app.tr("scored")), classes="section-title")
            dims = " · ".join(app.tr(d) for d in app.library.rubric.dimensions)
            skills = (
                "、".join(tags[k].name.get(lang) for k in sc.skills)
                if lang == "zh"
                else ", ".join(tags[k].name.get(lang) for k in sc.skills)
            )
            mark = sc.pass_mark if sc.pass_mark is not None else app.library.rubric.pass_mark
            yield Static(
                plain(f"{dims} ({app.tr('pass_mark', n=mark)})\n{skills}"), id="briefing-scored"
            )
            yield Static(plain(app.tr("persona_note")), classes="section-title")
            yield Static(
                plain(f"{sc.persona.name.get(lang)}: {sc.persona.signs.get(lang)}"),
                id="briefing-persona",
            )
        with Horizontal(id="briefing-buttons"):
            yield Button(
                plain(app.tr("start_practice")),
                id="start-practice",
                variant="primary",
                tooltip=app.tr("practice"),
            )
            yield Button(
                plain(app.tr("start_exam")),
                id="start-exam",
                variant="warning",
                tooltip=app.tr("exam"),
            )
            yield Button(plain(app.tr("back")), id="briefing-back")
        toggle = Static(self._free_text_label(), id="briefing-free-text")
        toggle.styles.padding = (0, 2)  # in line with the briefing's text
        yield toggle
        yield Footer()

    def _free_text_label(self) -> Any:
        app = self.calldrill
        key = "free_text_on" if app.free_text else "free_text_off"
        return join(styled("[t] ", "bold $accent"), plain(app.tr(key)))

    def action_toggle_free_text(self) -> None:
        app = self.calldrill
        app.free_text = not app.free_text
        self.query_one("#briefing-free-text", Static).update(self._free_text_label())

    def on_mount(self) -> None:
        self.sub_title = self.scenario.title.get(self.calldrill.lang)
        self.query_one("#start-practice", Button).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    @on(Button.Pressed, "#start-practice")
    def _practice(self) -> None:
        self.action_start("practice")

    @on(Button.Pressed, "#start-exam")
    def _exam(self) -> None:
        self.action_start("exam")

    @on(Button.Pressed, "#briefing-back")
    def _back(self) -> None:
        self.action_back()

    def commands(self) -> Iterable[SystemCommand]:
        app = self.calldrill
        yield SystemCommand(
            app.tr("start_practice"), app.tr("practice"), lambda: self.action_start("practice")
        )
        yield SystemCommand(app.tr("start_exam"), app.tr("exam"), lambda: self.action_start("exam"))
        yield SystemCommand(
            app.tr("free_text_toggle"),
            app.tr("free_text_on" if app.free_text else "free_text_off"),
            self.action_toggle_free_text,
        )
        yield SystemCommand(app.tr("back"), "escape", self.action_back)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_start(self, mode: str) -> None:
        app = self.calldrill
        seed = app.fixed_seed if app.fixed_seed is not None else secrets.randbelow(2**31)
        app.start_call(self.scenario, mode, seed)

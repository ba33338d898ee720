"""The debrief summary saved when an attempt finished, shown read-only: for an attempt
whose scenario is gone or changed, so that it can no longer be replayed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, Static

from simulator.report.debrief_report import markdown
from simulator.scenario.text import strip_control
from simulator.tui.safe import plain
from simulator.tui.screens.base import CalldrillAccess


class StoredDebriefScreen(CalldrillAccess, Screen[None]):
    BINDINGS = [
        Binding("escape,b", "back", "Back", id="stored.back", tooltip="Back to the history"),
    ]

    def __init__(
        self, report: Mapping[str, Any], why: str, values: Mapping[str, object], fallback: str
    ) -> None:
        """``why``: the i18n key saying why the call is not replayed (with ``values``);
        ``fallback``: one line shown if the saved summary cannot be read."""
        super().__init__()
        self.report = dict(report)
        self.why = why
        self.values = dict(values)
        self.fallback = fallback

    def _text(self) -> str | None:
        """The saved summary as Markdown (every scenario text escaped by ``markdown``), or
        None when it lacks what the report needs (written by an older or other program)."""
        try:
            return strip_control(markdown(self.report, self.calldrill.lang))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None

    def compose(self) -> ComposeResult:
        app = self.calldrill
        yield Header()
        yield Static(plain(app.tr(self.why, **self.values)), id="stored-why")
        text = self._text()
        with VerticalScroll(id="stored-body"):
            if text is None:
                yield Static(plain(self.fallback), id="stored-fallback")
            else:
                # Links are never followed: a saved report comes from anywhere.
                yield Markdown(text, id="stored-report", open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("stored_title")
        self.query_one("#stored-body", VerticalScroll).focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(self.calldrill.tr("to_history"), "escape", self.action_back)

    def action_back(self) -> None:
        self.app.pop_screen()

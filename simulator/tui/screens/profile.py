"""Who is practising: pick a profile or make a new one (remembered for next time)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from simulator.scenario.text import strip_control
from simulator.tui.safe import plain
from simulator.tui.screens.base import CalldrillAccess

MAX_NAME = 100


class ProfileScreen(CalldrillAccess, ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="profile.cancel", tooltip="Keep the profile"),
    ]

    def __init__(self, names: list[str], current: str | None) -> None:
        super().__init__()
        self.names = names
        self.current = current

    def compose(self) -> ComposeResult:
        app = self.calldrill
        with Vertical(id="profile-box"):
            yield Static(plain(app.tr("profile_title")), id="profile-title")
            if self.names:
                yield OptionList(
                    *[Option(plain(n), id=f"p{i}") for i, n in enumerate(self.names)],
                    id="profile-list",
                )
            yield Input(placeholder=app.tr("profile_new"), id="profile-name", max_length=MAX_NAME)
            yield Input(
                placeholder=app.tr("profile_group"), id="profile-group", max_length=MAX_NAME
            )
            yield Button(plain(app.tr("profile_create")), id="profile-create", variant="primary")
            yield Static("", id="profile-error")

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = not self.calldrill.still
        # query, not query_one: on one loaded CI run the field was not found here, and the
        # NoMatches ended the app; a missing focus is the lesser harm (cause not found).
        target = self.query("#profile-list" if self.names else "#profile-name")
        if target:
            target.first().focus()

    @on(Input.Changed)
    def _clean(self, event: Input.Changed) -> None:
        clean = strip_control(event.value)
        if clean != event.value:
            event.input.value = clean

    @on(OptionList.OptionSelected, "#profile-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[event.option_index])

    @on(Input.Submitted, "#profile-name")
    @on(Input.Submitted, "#profile-group")
    @on(Button.Pressed, "#profile-create")
    def _create(self) -> None:
        name = strip_control(self.query_one("#profile-name", Input).value).strip()
        if not name:
            self.query_one("#profile-error", Static).update(
                plain(self.calldrill.tr("profile_empty"))
            )
            self.query_one("#profile-name", Input).focus()
            return
        self.group = strip_control(self.query_one("#profile-group", Input).value).strip() or None
        self.dismiss(name)

    group: str | None = None

    def action_cancel(self) -> None:
        self.dismiss(None)

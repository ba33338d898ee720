"""Pick one value of a library filter (or "all") from a short list over the library."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from simulator.tui.safe import plain


class FilterPicker(ModalScreen[str | None]):
    """Dismissed with the chosen value (the "all" entry's for no filter), or None if
    cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter-picker.cancel"),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str) -> None:
        """``options``: (shown text, value) pairs, the "all" entry first."""
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-picker-box"):
            yield Static(plain(self.title_text), id="filter-picker-title")
            yield OptionList(
                *(Option(plain(shown), id=value) for shown, value in self.options),
                id="filter-picker-options",
            )

    def on_mount(self) -> None:
        options = self.query_one("#filter-picker-options", OptionList)
        values = [value for _, value in self.options]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected, "#filter-picker-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""One line of filters ("All personas ▾   All levels ▾   All skills ▾"), each opening a picker.

One widget for all the filters instead of a ``Select`` each: three Selects (each a few
widgets plus a hidden option list) made the library's first paint a third slower, and
the list should be usable at once. Keyboard: ←/→ moves between the filters, Enter,
space or ↓ opens one; a click on a filter opens it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from simulator.tui.safe import plain

GAP = 3  # cells between two filters
ARROW = " ▾"


@dataclass(frozen=True, slots=True)
class Filter:
    key: str  # "persona", "difficulty", "skill"
    shown: str  # the chosen value's name, or the "all …" prompt when none is chosen
    active: bool  # a value is chosen


class FilterBar(Widget, can_focus=True):
    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        width: 1fr;
        color: $text-muted;
    }
    FilterBar:focus {
        background: $boost;
    }
    """

    BINDINGS = [
        Binding("left", "move(-1)", "Previous filter", show=False, id="filters.previous"),
        Binding("right", "move(1)", "Next filter", show=False, id="filters.next"),
        Binding("enter,space,down", "open", "Choose", id="filters.open", tooltip="Pick a value"),
    ]

    cursor: reactive[int] = reactive(0)  # which filter ←/→ is on (a change repaints)

    class Opened(Message):
        """The trainee asked to pick a value for the filter ``key``."""

        def __init__(self, bar: FilterBar, key: str) -> None:
            super().__init__()
            self.bar = bar
            self.key = key

        @property
        def control(self) -> FilterBar:
            return self.bar

    def __init__(self, filters: list[Filter], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters = filters

    def show(self, filters: list[Filter]) -> None:
        self.filters = filters
        self.cursor = min(self.cursor, max(len(filters) - 1, 0))
        self.refresh()

    @staticmethod
    def _label(f: Filter) -> Content:
        # Drawn by render and measured by at: one place, so a click lands where it shows.
        return plain(f.shown + ARROW)

    def _part(self, i: int, f: Filter) -> Content:
        text = self._label(f)
        if f.active:
            text = text.stylize("bold $accent")
        if self.has_focus and i == self.cursor:
            text = text.stylize("reverse")
        return text

    def render(self) -> Content:
        parts: list[Content] = []
        for i, f in enumerate(self.filters):
            if parts:
                parts.append(Content(" " * GAP))
            parts.append(self._part(i, f))
        return Content.assemble(*parts)

    def at(self, x: int) -> int | None:
        """Which filter the cell ``x`` (from the widget's left edge) belongs to."""
        start = 0
        for i, f in enumerate(self.filters):
            end = start + self._label(f).cell_length
            if start <= x < end:
                return i
            start = end + GAP
        return None

    def on_click(self, event: events.Click) -> None:
        hit = self.at(event.x)
        if hit is not None:
            self.cursor = hit
            self.post_message(self.Opened(self, self.filters[hit].key))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, delta: int) -> None:
        if self.filters:
            self.cursor = (self.cursor + delta) % len(self.filters)

    def action_open(self) -> None:
        if self.filters:
            self.post_message(self.Opened(self, self.filters[self.cursor].key))

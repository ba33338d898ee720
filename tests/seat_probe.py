"""A tiny Textual app served in place of calldrill by the serve tests: it writes every terminal
size it is given to a file, so a test can see what the app process itself received."""

from __future__ import annotations

import sys
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static


class SizeProbe(App[None]):
    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out
        self.last: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static("probe")

    def _write(self, width: int, height: int) -> None:
        # Textual sends a Resize at start as well: only changes are written.
        if (width, height) == self.last:
            return
        self.last = (width, height)
        with self.out.open("a", encoding="utf-8") as f:
            f.write(f"{width}x{height}\n")

    def on_mount(self) -> None:
        self._write(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._write(event.size.width, event.size.height)


if __name__ == "__main__":
    SizeProbe(Path(sys.argv[1])).run()

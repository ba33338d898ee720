"""A running call timer (mm:ss)."""

from __future__ import annotations

from time import monotonic

from textual.reactive import reactive
from textual.widgets import Static


class CallTimer(Static):
    DEFAULT_CSS = """
    CallTimer {
        height: 1;
        text-style: bold;
    }
    """

    elapsed: reactive[float] = reactive(0.0)

    def __init__(
        self, label: str, *, frozen: bool = False, offset: float = 0.0, **kwargs: object
    ) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.label = label
        self.frozen = frozen
        # A resumed call goes on from the time it had already run.
        self._start = monotonic() - offset

    def on_mount(self) -> None:
        if not self.frozen:
            self.set_interval(1.0, self._tick)
        self._tick()

    def _tick(self) -> None:
        self.elapsed = 0.0 if self.frozen else monotonic() - self._start

    def stop(self) -> None:
        self._tick()
        for timer in list(self._timers):
            timer.stop()

    def watch_elapsed(self, elapsed: float) -> None:
        minutes, seconds = divmod(int(elapsed), 60)
        self.update(f"{self.label} {minutes:02d}:{seconds:02d}")

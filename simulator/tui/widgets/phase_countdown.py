"""A drill phase's countdown: time left, then time over (it keeps counting)."""

from __future__ import annotations

from textual.widgets import Static

from simulator.drill.phases import PhaseClock, countdown
from simulator.tui.safe import styled


class PhaseCountdown(Static):
    DEFAULT_CSS = """
    PhaseCountdown {
        height: 1;
        text-style: bold;
        color: $success;
    }
    PhaseCountdown.over {
        color: $error;
    }
    """

    def __init__(
        self,
        clock: PhaseClock,
        label: str,
        left: str,
        over: str,
        *,
        frozen: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.label = label
        self.left = left  # "{time} left"
        self.over_text = over  # "{time} over"
        self.frozen = frozen

    def on_mount(self) -> None:
        if not self.frozen:
            self.set_interval(1.0, self.tick)
        self.tick()

    def tick(self) -> None:
        if self.clock.phase is None:
            return
        # Frozen (screenshots): the planned length, never a moving number.
        planned = float(self.clock.plan.seconds(self.clock.phase))
        remaining_s = planned if self.frozen else self.clock.remaining_s()
        over = remaining_s < 0
        text = (self.over_text if over else self.left).format(time=countdown(remaining_s))
        self.set_class(over, "over")
        self.update(styled(f"⏱ {self.label} · {text}", "bold"))

"""The drill round's banner: which round, and who sits where."""

from __future__ import annotations

from textual.widgets import Static

from simulator.drill.rotation import Seats
from simulator.tui.safe import join, plain, styled


class RoundBanner(Static):
    DEFAULT_CSS = """
    RoundBanner {
        height: auto;
        background: $boost;
        padding: 0 1;
    }
    """

    def __init__(
        self, seats: Seats, rounds: int, labels: dict[str, str], round_text: str, **kwargs: object
    ) -> None:
        parts = [
            styled(round_text, "bold"),
            plain(f" · {labels['agent']}: {seats.agent}"),
            plain(f" · {labels['customer']}: {seats.customer}"),
            plain(f" · {labels['observer']}: {seats.observer}"),
        ]
        if seats.also_watching:
            parts.append(plain(f" · {labels['watching']}: {', '.join(seats.also_watching)}"))
        super().__init__(join(*parts), **kwargs)  # type: ignore[arg-type]

"""Hit rate per skill as horizontal bars, one row each, names aligned by display width
(Chinese characters take two columns)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from simulator.scenario.text import strip_control
from simulator.tui.safe import join, plain, styled

MAX_NAME = 18  # columns


def rate_style(rate: float) -> str:
    return "$success" if rate >= 0.8 else "$warning" if rate >= 0.5 else "$error"


class SkillBars(Widget):
    DEFAULT_CSS = """
    SkillBars {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, rows: Sequence[tuple[str, int, int]], **kwargs: object) -> None:
        """``rows``: (name, hits, chances), drawn in this order."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows = [(strip_control(name), hits, chances) for name, hits, chances in rows]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.rows))

    def render(self) -> Content:
        width = self.content_size.width or 40
        name_w = min(MAX_NAME, max((cell_len(n) for n, _, _ in self.rows), default=0))
        count_w = max((len(f"{h}/{c}") for _, h, c in self.rows), default=3)
        bar_w = max(4, width - name_w - count_w - 9)
        lines: list[Content] = []
        for name, hits, chances in self.rows:
            rate = hits / chances if chances else 0.0
            filled = round(rate * bar_w)
            lines.append(
                join(
                    plain(set_cell_size(name, name_w) + " "),
                    styled("█" * filled, rate_style(rate)),
                    styled("░" * (bar_w - filled), "$text-muted"),
                    plain(f" {rate * 100:3.0f}% "),
                    styled(f"{hits}/{chances}".rjust(count_w), "$text-muted"),
                )
            )
        return Content("\n").join(lines)

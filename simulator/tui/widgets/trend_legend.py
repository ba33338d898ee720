"""The legend of the score trend, drawn by Textual so that Chinese names keep their
width, and laid out here so that no mark is parted from its name."""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from simulator.scenario.text import strip_control
from simulator.tui.safe import join, plain, styled
from simulator.tui.widgets.score_trend import COLORS

MARK = "━━ "
GAP = "   "


class TrendLegend(Widget):
    DEFAULT_CSS = """
    TrendLegend {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, names: Mapping[str, str], **kwargs: object) -> None:
        """``names``: series id (a dimension, or "total") -> its label."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.names = {key: strip_control(label) for key, label in names.items()}

    def _lines(self, width: int) -> list[list[tuple[str, str]]]:
        lines: list[list[tuple[str, str]]] = [[]]
        used = 0
        for key, label in self.names.items():
            size = cell_len(MARK + label)
            if lines[-1] and used + len(GAP) + size > width:
                lines.append([])
                used = 0
            used += (len(GAP) if lines[-1] else 0) + size
            lines[-1].append((key, label))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        out: list[Content] = []
        for line in self._lines(self.content_size.width or 80):
            parts: list[Content] = []
            for key, label in line:
                r, g, b = COLORS[key]
                if parts:
                    parts.append(plain(GAP))
                parts += [styled(MARK, f"bold rgb({r},{g},{b})"), plain(label)]
            out.append(join(*parts))
        return Content("\n").join(out)

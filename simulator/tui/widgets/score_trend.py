"""Score trend over a trainee's finished calls: the four rubric dimensions (left axis,
out of 25) and the total (right axis, out of 100), drawn by plotext.

Plotext counts every character as one column, so Chinese text inside the plot would
push its rows out of line: the title and the legend are drawn outside it (see
``TrendLegend``), and the plot itself holds only digits and dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from textual_plotext import PlotextPlot

from simulator.scenario.model import DIMENSIONS

Point = tuple[datetime, float, dict[str, float]]

# One colour per series, shared with the legend.
COLORS: dict[str, tuple[int, int, int]] = {
    "expression": (66, 165, 245),
    "process": (102, 187, 106),
    "solving": (255, 167, 38),
    "emotion": (186, 104, 200),
    "total": (239, 83, 80),
}
MAX_DRAWN = 80  # more points are averaged in runs: plotext draws each line point by point
MAX_TICKS = 6


def thin(points: Sequence[Point], most: int = MAX_DRAWN) -> list[Point]:
    """At most ``most`` points: consecutive runs averaged, each dated by its last one."""
    if len(points) <= most:
        return list(points)
    out: list[Point] = []
    for k in range(most):
        run = points[k * len(points) // most : (k + 1) * len(points) // most]
        dims = {d: sum(p[2][d] for p in run) / len(run) for d in DIMENSIONS}
        out.append((run[-1][0], sum(p[1] for p in run) / len(run), dims))
    return out


def tick_label(when: datetime, *, daily: bool, same_day: bool) -> str:
    if daily:
        return when.strftime("%m-%d")  # a UTC day: shown as such, not shifted
    local = when.astimezone()
    return local.strftime("%H:%M" if same_day else "%m-%d")


class ScoreTrendChart(PlotextPlot):
    def __init__(self, points: Sequence[Point], *, daily: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.points = thin(points)
        self.daily = daily

    def on_mount(self) -> None:
        plt = self.plt
        plt.clear_figure()
        pts = self.points
        if not pts:
            return
        xs = list(range(1, len(pts) + 1))
        # The total first: where a dimension's line meets it, the dimension stays visible.
        plt.plot(xs, [p[1] for p in pts], color=COLORS["total"], marker="braille", yside="right")
        for d in DIMENSIONS:
            plt.plot(xs, [p[2][d] for p in pts], color=COLORS[d], marker="braille")
        plt.ylim(0, 25)
        plt.yticks([0, 5, 10, 15, 20, 25])
        # The stubs type yside as a number; plotext takes "left" or "right".
        plt.ylim(0, 100, yside="right")  # type: ignore[arg-type]
        plt.yticks([0, 20, 40, 60, 80, 100], yside="right")  # type: ignore[arg-type]
        n = len(pts)
        k = min(n, MAX_TICKS)
        picks = sorted({round(i * (n - 1) / (k - 1)) for i in range(k)}) if k > 1 else [0]
        days = {p[0].astimezone().date() for p in pts}
        same_day = not self.daily and len(days) == 1
        plt.xticks(
            [xs[i] for i in picks],
            [tick_label(pts[i][0], daily=self.daily, same_day=same_day) for i in picks],
        )
        if n == 1:
            plt.xlim(0, 2)

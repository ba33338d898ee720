"""Charts for the debrief, drawn by plotext (textual-plotext): mood over the call and
the four rubric dimensions."""

from __future__ import annotations

from typing import Any

from textual_plotext import PlotextPlot

from simulator.scenario.text import strip_control


class MoodChart(PlotextPlot):
    """The customer's mood variables, one line each, from the start to the last reply."""

    def __init__(self, mood: dict[str, Any], *, title: str, xlabel: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mood = mood
        self.title_text = title
        self.xlabel = xlabel

    def on_mount(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(strip_control(self.title_text))
        plt.xlabel(strip_control(self.xlabel))
        for var, values in self.mood["series"].items():
            label = strip_control(self.mood["variables"][var]["label"])
            plt.plot(list(range(len(values))), values, label=label, marker="braille")
        turns = max((len(v) for v in self.mood["series"].values()), default=1)
        plt.xticks(list(range(turns)))
        plt.ylim(0, 100)


class DimensionChart(PlotextPlot):
    """The four dimensions, each out of 25."""

    def __init__(
        self, labels: list[str], values: list[float], *, title: str, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.labels = [strip_control(x) for x in labels]
        self.values = values
        self.title_text = title

    def on_mount(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(strip_control(self.title_text))
        plt.bar(self.labels, self.values, orientation="horizontal", width=0.4)
        plt.xlim(0, 25)

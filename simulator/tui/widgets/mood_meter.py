"""The customer's mood: one bar per variable, and the cause of the last change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from simulator.engine.turn import MoodChange
from simulator.scenario.model import Lang, Persona
from simulator.tui.safe import plain, styled


class MoodMeter(Vertical):
    DEFAULT_CSS = """
    MoodMeter {
        height: auto;
    }
    MoodMeter .mood-label {
        margin-top: 1;
    }
    MoodMeter ProgressBar Bar {
        width: 1fr;
    }
    MoodMeter .mood-cause {
        color: $text-muted;
        height: auto;
    }
    """

    def __init__(self, persona: Persona, lang: Lang, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.persona = persona
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        for var in self.persona.mood.values():
            yield Static(
                plain(var.label.get(self.lang)), id=f"mood-label-{var.id}", classes="mood-label"
            )
            yield ProgressBar(
                total=var.max - var.min,
                show_eta=False,
                show_percentage=False,
                id=f"mood-bar-{var.id}",
            )
            yield Static("", id=f"mood-cause-{var.id}", classes="mood-cause")

    def show(self, mood: dict[str, int], changes: list[tuple[MoodChange, str]]) -> None:
        """Set every bar; ``changes`` pairs each change of the last reply with its reason."""
        for var in self.persona.mood.values():
            value = mood[var.id]
            self.query_one(f"#mood-bar-{var.id}", ProgressBar).update(progress=value - var.min)
            self.query_one(f"#mood-label-{var.id}", Static).update(
                plain(f"{var.label.get(self.lang)} {value}")
            )
            lines = [f"{c.delta:+d}: {why}" for c, why in changes if c.var == var.id]
            cause = self.query_one(f"#mood-cause-{var.id}", Static)
            worse = any((c.delta > 0) == (var.good == "low") for c, _ in changes if c.var == var.id)
            cause.update(styled("\n".join(lines), "red" if worse else "green") if lines else "")

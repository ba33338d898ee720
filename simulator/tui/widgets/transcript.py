"""The call so far: the customer's lines and the trainee's replies, with speaker labels."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from simulator.tui.safe import join, styled


class Utterance(Static):
    """One line of the call. The customer's line can be revealed a few characters at a time."""

    DEFAULT_CSS = """
    Utterance {
        height: auto;
        margin-bottom: 1;
    }
    Utterance.agent {
        padding-left: 4;
        color: $text;
    }
    Utterance.customer {
        padding-right: 4;
    }
    """

    def __init__(self, speaker: str, text: str, *, who: str, reveal_cps: float = 0.0) -> None:
        super().__init__("", classes=who)
        self.speaker = speaker
        self.text = text
        self.reveal_cps = reveal_cps
        self.shown = len(text) if reveal_cps <= 0 else min(len(text), 2)
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self._render_text()
        if self.shown < len(self.text):
            self._timer = self.set_interval(1 / 30, self._step)

    def _step(self) -> None:
        per_tick = max(1, round(self.reveal_cps / 30))
        self.shown = min(len(self.text), self.shown + per_tick)
        self._render_text()
        if self.shown >= len(self.text) and self._timer is not None:
            self._timer.stop()

    def finish(self) -> None:
        if self.shown < len(self.text):
            self.shown = len(self.text)
            if self.is_mounted:
                self._render_text()
            if self._timer is not None:
                self._timer.stop()

    @property
    def revealing(self) -> bool:
        return self.shown < len(self.text)

    def _render_text(self) -> None:
        style = "bold $accent" if "customer" in self.classes else "bold $success"
        # No space after the label: Chinese has none to break at, so a space here would
        # push the whole sentence to the next line instead of wrapping it in place.
        self.update(join(styled(self.speaker, style), self.text[: self.shown]))


class Transcript(VerticalScroll):
    DEFAULT_CSS = """
    Transcript {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # The lines mounted with a reveal: only these can still be revealing.
        self._revealing: list[Utterance] = []

    def say(self, speaker: str, text: str, *, who: str, reveal_cps: float = 0.0) -> Utterance:
        line = Utterance(speaker, text, who=who, reveal_cps=reveal_cps)
        self.say_all([line])
        return line

    def say_all(self, lines: list[Utterance]) -> None:
        """Several lines in one mount: one layout pass for a whole reply, not one each."""
        self._revealing += [line for line in lines if line.reveal_cps > 0]
        self.mount_all(lines)
        self.call_after_refresh(self.scroll_end, animate=False)

    def finish_reveal(self) -> None:
        for line in self._revealing:
            line.finish()
        self._revealing.clear()

    def clear(self) -> None:
        self._revealing.clear()
        self.remove_children()

"""What every exam screen shares: the running ExamApp, typed as what it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.widgets import Static

from simulator.tui.safe import styled

if TYPE_CHECKING:
    from simulator.assessment.exam import Exam
    from simulator.tui.exam_app import ExamApp


class ExamAccess:
    """Mixed into exam screens: the app and its exam."""

    @property
    def exam_app(self) -> ExamApp:
        return cast("ExamApp", cast(Any, self).app)

    @property
    def exam(self) -> Exam:
        return self.exam_app.exam


def clock_text(seconds: float | None) -> str:
    """Time left as M:SS (H:MM:SS past an hour); empty when no section is open."""
    if seconds is None:
        return ""
    whole = int(seconds + 0.999)  # 0.2 s left still shows 0:01, so 0:00 means over
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def exam_title(title: str) -> Static:
    """The title bar of an exam screen. Not Textual's Header: its icon opens the command
    palette, and it fails when a screen is replaced while it is still mounting."""
    bar = Static(styled(title, "bold"), id="exam-title")
    bar.styles.dock = "top"
    bar.styles.height = 1
    bar.styles.padding = (0, 1)
    return bar

"""The exam's overview: its sections, their time limits and where the candidate is."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from simulator.assessment.exam import CLOSED
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.exam_access import ExamAccess, exam_title


class ExamOverviewScreen(ExamAccess, Screen[None]):
    DEFAULT_CSS = """
    ExamOverviewScreen #exam-overview { padding: 1 2; }
    ExamOverviewScreen .exam-section-row { margin-bottom: 1; }
    ExamOverviewScreen #exam-start { margin: 1 2; }
    """
    BINDINGS = [
        Binding("enter,s", "start", "Start section", id="exam.start", tooltip="Start its clock"),
    ]

    def compose(self) -> ComposeResult:
        app = self.exam_app
        exam = self.exam
        lang = app.lang
        yield exam_title(self.exam_app.title)
        with VerticalScroll(id="exam-overview"):
            yield Static(
                join(
                    styled(exam.blueprint.title.get(lang), "bold"),
                    "\n",
                    plain(app.tr("exam_candidate_line", candidate=exam.candidate)),
                    "\n",
                    plain(app.tr("exam_rules")),
                ),
                id="exam-intro",
            )
            for n, sp in enumerate(exam.sections, start=1):
                s = sp.section
                if exam.status(s.id) == CLOSED:
                    state = app.tr("exam_section_done")
                elif sp is exam.current:
                    state = app.tr("exam_section_next")
                else:
                    state = app.tr("exam_section_later")
                yield Static(
                    join(
                        styled(f"{n}. {s.title.get(lang)}", "bold"),
                        plain(
                            "  "
                            + app.tr(
                                "exam_section_line",
                                count=len(sp.items),
                                minutes=s.time_limit_s // 60,
                                percent=s.passing.percent,
                            )
                        ),
                        plain(f"  · {state}"),
                    ),
                    classes="exam-section-row",
                )
        current = exam.current
        if current is not None:
            label = app.tr("exam_start_section", section=current.section.title.get(lang))
            yield Button(plain(label), id="exam-start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        if self.query("#exam-start"):
            self.query_one("#exam-start", Button).focus()

    @on(Button.Pressed, "#exam-start")
    def _pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        if self.exam.current is not None:
            self.exam_app.start_section()

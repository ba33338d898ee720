"""The end of the exam: each section's score and the verdict, with no answers, model
answers or explanations (those are in the candidate report, after the exam)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.assessment.scoring import dec
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.exam_access import ExamAccess, exam_title


class ExamSummaryScreen(ExamAccess, Screen[None]):
    DEFAULT_CSS = """
    ExamSummaryScreen #exam-summary { padding: 1 2; }
    ExamSummaryScreen .exam-summary-row { margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        app = self.exam_app
        exam = self.exam
        lang = app.lang
        verdict = exam.overall()
        yield exam_title(self.exam_app.title)
        with VerticalScroll(id="exam-summary"):
            word = app.tr("passed" if verdict.passed else "failed")
            yield Static(
                join(
                    styled(app.tr("exam_over"), "bold"),
                    "\n",
                    plain(app.tr("exam_candidate_line", candidate=exam.candidate)),
                    "\n",
                    styled(
                        app.tr("exam_verdict", verdict=word),
                        "bold $success" if verdict.passed else "bold $error",
                    ),
                ),
                id="exam-verdict",
            )
            for n, sp in enumerate(exam.sections, start=1):
                score = exam.score(sp.id)
                if score is None:
                    continue
                line = app.tr(
                    "exam_section_score",
                    earned=dec(score.earned),
                    max=score.max,
                    percent=dec(score.share * 100),
                    need=sp.section.passing.percent,
                    verdict=app.tr("passed" if score.passed else "failed"),
                )
                if score.timed_out:
                    line += " · " + app.tr("exam_timed_out")
                yield Static(
                    join(styled(f"{n}. {sp.section.title.get(lang)}", "bold"), plain("  " + line)),
                    classes="exam-summary-row",
                )
            if app.result_path is not None:
                note = app.tr("exam_result_saved", path=str(app.result_path))
            elif app.result_error is not None:
                note = app.tr("exam_result_failed", why=app.result_error)
            else:
                note = app.tr("exam_result_unsigned")
            yield Static(plain(note + "\n" + app.tr("exam_quit_note")), id="exam-result-note")
        yield Footer()

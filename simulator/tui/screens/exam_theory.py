"""The theory test: one question at a time, answered with number keys (options) or
typed (short answers), every answer saved as it is given."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from simulator.assessment.exam import BadAnswer, Question, TimeUp
from simulator.scenario.text import strip_control
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.exam_access import ExamAccess, clock_text, exam_title

MAX_TYPED = 2000


class ExamTheoryScreen(ExamAccess, Screen[None]):
    AUTO_FOCUS = None  # number keys go to the screen; the typed-answer field is focused by hand
    DEFAULT_CSS = """
    ExamTheoryScreen #exam-theory { padding: 0 2; height: 1fr; }
    ExamTheoryScreen #exam-clock { dock: top; height: 1; padding: 0 2; text-style: bold; }
    ExamTheoryScreen #exam-question { margin: 1 0; }
    ExamTheoryScreen #exam-options { height: auto; }
    ExamTheoryScreen #exam-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        *[
            Binding(str(n), f"pick({n})", str(n), show=False, id=f"exam.pick-{n}")
            for n in range(1, 10)
        ],
        Binding("pagedown", "move(1)", "Next", id="exam.next", priority=True),
        Binding("pageup", "move(-1)", "Previous", id="exam.previous", priority=True),
        Binding("ctrl+s", "submit", "Hand in", id="exam.submit", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.questions: list[Question] = []
        self.pos = 0
        self.typed_dirty = False

    def compose(self) -> ComposeResult:
        yield exam_title(self.exam_app.title)
        yield Static("", id="exam-clock")
        with Vertical(id="exam-theory"):
            yield Static("", id="exam-progress")
            yield Static("", id="exam-question")
            yield Static("", id="exam-options")
            yield Input(id="exam-short", max_length=MAX_TYPED)
            yield Static(plain(self.exam_app.tr("exam_theory_keys")), id="exam-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.questions = [q for q in self.exam.items() if isinstance(q, Question)]
        self.show_clock()
        self.show()

    def show_clock(self) -> None:
        app = self.exam_app
        left = clock_text(self.exam.remaining_s())
        sp = self.exam.current
        title = sp.section.title.get(app.lang) if sp else ""
        self.query_one("#exam-clock", Static).update(
            plain(app.tr("exam_clock", section=title, left=left))
        )
        if self.typed_dirty:
            self.save_typed()

    # Showing the question at ``pos``.

    def show(self) -> None:
        app = self.exam_app
        lang = app.lang
        if not self.questions:
            return
        q = self.questions[self.pos]
        total = len(self.questions)
        self.query_one("#exam-progress", Static).update(
            plain(
                app.tr(
                    "exam_question_of",
                    n=q.number,
                    total=total,
                    done=self.exam.answered(),
                    kind=app.tr(f"exam_item_{q.kind}"),
                    points=q.points,
                )
            )
        )
        self.query_one("#exam-question", Static).update(
            join(styled(f"{q.number}. ", "bold"), plain(q.text.get(lang)))
        )
        options = self.query_one("#exam-options", Static)
        short = self.query_one("#exam-short", Input)
        if q.kind == "short":
            options.display = False
            short.display = True
            short.disabled = False
            value = self.exam.answer_of(q.key)
            short.value = value if isinstance(value, str) else ""
            short.placeholder = app.tr("exam_short_placeholder")
            self.typed_dirty = False
            short.focus()
            return
        short.display = False
        short.disabled = True  # so it cannot hold the focus and swallow the number keys
        options.display = True
        self._fill_options(q)
        self.set_focus(None)  # number keys go to the screen, not to the hidden field

    def _choices(self, q: Question) -> list[tuple[Any, str]]:
        lang = self.exam_app.lang
        if q.kind == "true-false":
            return [(True, self.exam_app.tr("exam_true")), (False, self.exam_app.tr("exam_false"))]
        return [(o.id, o.text.get(lang)) for o in q.options]

    def _chosen(self, q: Question, value: Any) -> bool:
        answer = self.exam.answer_of(q.key)
        if q.kind == "multiple":
            return isinstance(answer, list) and value in answer
        return answer is not None and answer == value and type(answer) is type(value)

    def _fill_options(self, q: Question) -> None:
        # One Static, not a list widget: a number key redraws it without a new layout.
        multiple = q.kind == "multiple"
        lines: list[Any] = []
        for n, (value, text) in enumerate(self._choices(q), start=1):
            on_ = self._chosen(q, value)
            mark = ("[x]" if on_ else "[ ]") if multiple else ("(•)" if on_ else "( )")
            lines += ["\n" if lines else "", styled(f"{n}. {mark} ", "bold"), plain(text)]
        self.query_one("#exam-options", Static).update(join(*lines))

    # Answering.

    def _save(self, q: Question, value: Any) -> bool:
        from simulator.store.errors import StoreError  # noqa: PLC0415

        app = self.exam_app
        sp = self.exam.current
        title = sp.section.title.get(app.lang) if sp else ""
        try:
            self.exam.answer(q.key, value)
        except TimeUp:
            app.section_over(title)
            return False
        except BadAnswer as exc:
            app.notify(str(exc), severity="error", markup=False)
            return False
        except StoreError as exc:
            app.store_failed(str(exc))
        return True

    def action_pick(self, number: int) -> None:
        if not self.questions:
            return
        q = self.questions[self.pos]
        choices = self._choices(q)
        if q.kind == "short" or not 1 <= number <= len(choices):
            return
        value = choices[number - 1][0]
        if q.kind == "multiple":
            current = self.exam.answer_of(q.key) or []
            chosen = [v for v in current if v != value] if value in current else [*current, value]
            new: Any = chosen or None
        else:
            new = value
        if self._save(q, new):
            self._fill_options(q)
            self.show_progress()

    def show_progress(self) -> None:
        q = self.questions[self.pos]
        app = self.exam_app
        self.query_one("#exam-progress", Static).update(
            plain(
                app.tr(
                    "exam_question_of",
                    n=q.number,
                    total=len(self.questions),
                    done=self.exam.answered(),
                    kind=app.tr(f"exam_item_{q.kind}"),
                    points=q.points,
                )
            )
        )

    @on(Input.Changed, "#exam-short")
    def _typed(self) -> None:
        self.typed_dirty = True

    @on(Input.Submitted, "#exam-short")
    def _submitted(self) -> None:
        if self.save_typed():
            self.action_move(1)

    def save_typed(self) -> bool:
        """The short answer as typed (control characters removed), saved."""
        q = self.questions[self.pos]
        if q.kind != "short":
            return True
        text = strip_control(self.query_one("#exam-short", Input).value).strip()
        self.typed_dirty = False
        if text == (self.exam.answer_of(q.key) or ""):
            return True
        ok = self._save(q, text or None)
        if ok:
            self.show_progress()
        return ok

    def action_move(self, delta: int) -> None:
        if not self.questions:
            return
        if self.questions[self.pos].kind == "short" and not self.save_typed():
            return
        self.pos = max(0, min(len(self.questions) - 1, self.pos + delta))
        self.show()

    def action_submit(self) -> None:
        if self.questions and self.questions[self.pos].kind == "short" and not self.save_typed():
            return
        app = self.exam_app
        left = len(self.questions) - self.exam.answered()
        question = app.tr("exam_submit_confirm", n=left)

        def answered(yes: bool | None) -> None:
            if yes:
                app.call_later(app.submit_section)  # once the question is gone

        app.push_screen(ConfirmScreen(question, app.tr("exam_yes"), app.tr("exam_no")), answered)

"""A section of telephone tasks (simulations or situational scenarios): the calls to
take, each opened in the call screen in exam mode."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from simulator.assessment.exam import CallTask, ExamError
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.exam_access import ExamAccess, clock_text, exam_title


class ExamCallsScreen(ExamAccess, Screen[None]):
    DEFAULT_CSS = """
    ExamCallsScreen #exam-calls { padding: 0 2; height: 1fr; }
    ExamCallsScreen #exam-clock { dock: top; height: 1; padding: 0 2; text-style: bold; }
    ExamCallsScreen #exam-tasks { height: auto; margin: 1 0; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "Hand in", id="exam.submit", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tasks: list[CallTask] = []

    def compose(self) -> ComposeResult:
        yield exam_title(self.exam_app.title)
        yield Static("", id="exam-clock")
        with Vertical(id="exam-calls"):
            yield Static(plain(self.exam_app.tr("exam_calls_intro")), id="exam-calls-intro")
            yield OptionList(id="exam-tasks")
        yield Footer()

    def on_mount(self) -> None:
        self.tasks = [v for v in self.exam.items() if isinstance(v, CallTask)]
        self.show_clock()
        self.fill()

    def show_clock(self) -> None:
        app = self.exam_app
        sp = self.exam.current
        title = sp.section.title.get(app.lang) if sp else ""
        left = clock_text(self.exam.remaining_s())
        self.query_one("#exam-clock", Static).update(
            plain(app.tr("exam_clock", section=title, left=left))
        )

    def _state(self, task: CallTask) -> str:
        call = self.exam.played(task.key)
        if call is None or not call.turns:
            return self.exam_app.tr("exam_call_new")
        return self.exam_app.tr("exam_call_done" if call.finished else "exam_call_going")

    def fill(self) -> None:
        app = self.exam_app
        tasks = self.query_one("#exam-tasks", OptionList)
        tasks.clear_options()
        for task in self.tasks:
            tasks.add_option(
                Option(
                    join(
                        styled(f"{task.number}. ", "bold"),
                        plain(task.title.get(app.lang)),
                        plain(f" · {app.tr(task.tier)} · {self._state(task)}"),
                    )
                )
            )
        if tasks.option_count:
            tasks.highlighted = 0
        tasks.focus()

    @on(OptionList.OptionSelected, "#exam-tasks")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.open_call(event.option_index)

    def open_call(self, index: int) -> None:
        from simulator.tui.screens.exam_call import ExamCallScreen  # noqa: PLC0415

        app = self.exam_app
        try:
            screen = ExamCallScreen(self.exam, self.tasks[index].key)
        except ExamError as exc:
            app.notify(str(exc), severity="error", markup=False)
            app.show_current()
            return
        app.push_screen(screen)

    def action_submit(self) -> None:
        app = self.exam_app
        left = sum(
            1 for task in self.tasks if not (c := self.exam.played(task.key)) or not c.finished
        )
        question = app.tr("exam_submit_calls_confirm", n=left)

        def answered(yes: bool | None) -> None:
            if yes:
                app.call_later(app.submit_section)  # once the question is gone

        app.push_screen(ConfirmScreen(question, app.tr("exam_yes"), app.tr("exam_no")), answered)

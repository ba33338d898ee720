"""A section of ticket tasks: one ticket for each call of the section it follows,
each filled in the ticket form beside the call's case file."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from simulator.assessment.exam import BadAnswer, TicketTask, TimeUp
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.exam_access import ExamAccess, clock_text, exam_title


class ExamTicketsScreen(ExamAccess, Screen[None]):
    DEFAULT_CSS = """
    ExamTicketsScreen #exam-tickets { padding: 0 2; height: 1fr; }
    ExamTicketsScreen #exam-clock { dock: top; height: 1; padding: 0 2; text-style: bold; }
    ExamTicketsScreen #exam-tasks { height: auto; margin: 1 0; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "Hand in", id="exam.submit", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tasks: list[TicketTask] = []

    def compose(self) -> ComposeResult:
        yield exam_title(self.exam_app.title)
        yield Static("", id="exam-clock")
        with Vertical(id="exam-tickets"):
            yield Static(plain(self.exam_app.tr("exam_tickets_intro")), id="exam-tickets-intro")
            yield OptionList(id="exam-tasks")
        yield Footer()

    def on_mount(self) -> None:
        self.tasks = [v for v in self.exam.items() if isinstance(v, TicketTask)]
        self.show_clock()
        self.fill()

    def _left(self) -> str:
        return clock_text(self.exam.remaining_s())

    def show_clock(self) -> None:
        app = self.exam_app
        sp = self.exam.current
        title = sp.section.title.get(app.lang) if sp else ""
        self.query_one("#exam-clock", Static).update(
            plain(app.tr("exam_clock", section=title, left=self._left()))
        )

    def fill(self) -> None:
        app = self.exam_app
        tasks = self.query_one("#exam-tasks", OptionList)
        tasks.clear_options()
        for task in self.tasks:
            state = app.tr(
                "exam_ticket_written" if self.exam.answer_of(task.key) else "exam_ticket_new"
            )
            tasks.add_option(
                Option(
                    join(
                        styled(f"{task.number}. ", "bold"),
                        plain(task.title.get(app.lang)),
                        plain(f" · {state}"),
                    )
                )
            )
        if tasks.option_count:
            tasks.highlighted = 0
        tasks.focus()

    @on(OptionList.OptionSelected, "#exam-tasks")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.open_ticket(event.option_index)

    def open_ticket(self, index: int) -> None:
        from simulator.tui.screens.exam_ticket import TicketFormScreen  # noqa: PLC0415

        app = self.exam_app
        task = self.tasks[index]
        initial = self.exam.answer_of(task.key) or {}
        screen = TicketFormScreen(
            title=task.title.get(app.lang),
            facts=task.facts,
            save=lambda form: self.save(task, form),
            initial=initial,
            clock=self._left,
        )
        app.push_screen(screen, lambda _: self.fill())

    def save(self, task: TicketTask, form: dict[str, str]) -> bool:
        from simulator.store.errors import StoreError  # noqa: PLC0415

        app = self.exam_app
        sp = self.exam.current
        title = sp.section.title.get(app.lang) if sp else ""
        try:
            self.exam.answer(task.key, form)
        except TimeUp:
            app.section_over(title)
            return False
        except BadAnswer as exc:
            app.notify(str(exc), severity="error", markup=False)
            return False
        except StoreError as exc:
            app.store_failed(str(exc))
        return True

    def action_submit(self) -> None:
        app = self.exam_app
        left = sum(1 for task in self.tasks if not self.exam.answer_of(task.key))
        question = app.tr("exam_submit_tickets_confirm", n=left)

        def answered(yes: bool | None) -> None:
            if yes:
                app.call_later(app.submit_section)  # once the question is gone

        app.push_screen(ConfirmScreen(question, app.tr("exam_yes"), app.tr("exam_no")), answered)

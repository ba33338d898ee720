"""A telephone task of the exam: the practice call screen in exam mode (no hints,
feedback or undo), every reply given to the exam, which saves it and scores the call
when the section closes."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Static

from simulator.assessment.exam import BadAnswer, Exam, TimeUp
from simulator.engine import NotOffered
from simulator.engine.turn import Turn
from simulator.tui.safe import plain
from simulator.tui.screens.call import EXAM, CallScreen
from simulator.tui.screens.exam_access import ExamAccess, clock_text


class ExamCallScreen(ExamAccess, CallScreen):
    BINDINGS = [
        Binding("enter", "back_to_section", "Back", id="exam.call-back", tooltip="The next call"),
    ]

    def __init__(self, exam: Exam, key: str) -> None:
        it = exam.plan.item(key)
        call = exam.call(key)
        super().__init__(exam.library.scenarios[it.ref], mode=EXAM, seed=call.seed, call=call)
        self.key = key

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "debrief":
            return False  # no debrief in an exam: scores come at the end
        if action == "back_to_section":
            return self.call.finished
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        super().on_mount()
        side = self.query_one("#call-side")
        side.mount(Static("", id="exam-clock"), before=0)
        self.show_clock()

    def show_clock(self) -> None:
        app = self.exam_app
        left = clock_text(self.exam.remaining_s())
        for clock in self.query("#exam-clock").results(Static):
            clock.update(plain(app.tr("exam_time_left", left=left)))

    def _take(self, number: int) -> Turn:
        from simulator.store.errors import StoreError  # noqa: PLC0415

        app = self.exam_app
        sp = self.exam.current
        title = sp.section.title.get(app.lang) if sp else ""
        try:
            return self.exam.reply_number(self.key, number)
        except TimeUp:
            self.call_after_refresh(app.section_over, title)
            raise NotOffered("the time is up") from None
        except BadAnswer as exc:
            raise NotOffered(str(exc)) from None
        except StoreError as exc:
            # The reply happened in memory; the next one saves every reply again.
            app.store_failed(str(exc))
            return self.call.turns[-1]

    def _show_choices(self) -> None:
        super()._show_choices()
        if self.call.finished:
            # The hidden reply list had the focus; Enter must reach the screen's key.
            self.query_one("#call-transcript").focus()

    def action_leave(self) -> None:
        # Back to the section's calls; the call waits where it is.
        self.action_back_to_section()

    def action_debrief(self) -> None:
        self.action_back_to_section()

    def key_enter(self, event: events.Key) -> None:  # type: ignore[override]
        if self.call.finished:
            event.stop()
            event.prevent_default()
            self.action_back_to_section()

    def action_back_to_section(self) -> None:
        # From the app's queue: a screen cannot be popped from inside its own key handler.
        self.app.call_later(self.exam_app.show_current)

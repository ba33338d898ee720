"""The exam in the TUI (`calldrill exam start`, docs/assessment.md): one candidate's
attempt, section by section, in exam mode everywhere.

Exam mode: no hints, per-turn feedback or undo (the call screen in exam mode), no
command palette, no screenshot or other system commands, no Textual devtools even when
``TEXTUAL=devtools`` is set. Screens get what ``Exam`` shows (``Question``, ``CallTask``,
``TicketTask``), which holds no correct option, key point or explanation; the summary
shows scores only. Every answer goes through the exam's sink (the store commits it
before the call returns), and a heartbeat every second keeps the section's time used,
so a killed exam resumes with the same time left.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.assessment.exam import OPEN, PENDING, Exam, ExamError
from simulator.i18n import t
from simulator.scenario.model import Lang

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from simulator.engine import Call
    from simulator.scenario.model import Library


class ExamApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "calldrill"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="exam.quit", priority=True)]

    def __init__(
        self,
        exam: Exam,
        library: Library,
        lang: Lang = "zh",
        *,
        key: Ed25519PrivateKey | None = None,
        output: Path | None = None,
        resumed: bool = False,
        still: bool = False,
        reveal_cps: float = 60.0,
        tick_s: float = 1.0,
    ) -> None:
        super().__init__()
        # `textual run --dev` and TEXTUAL=devtools,debug would stream every widget's
        # content to a console outside the exam: not in exam mode.
        self.features = self.features - {"devtools", "debug"}
        self.devtools = None
        self._devtools_redirector = None
        self.exam = exam
        self.library = library
        self.lang: Lang = lang
        self.key = key
        self.output = output
        self.result_path: Path | None = None
        self.result_error: str | None = None
        self.resumed = resumed
        self.still = still
        self.reveal_cps = 0.0 if still else reveal_cps
        self.tick_s = tick_s
        # What the practice call screen asks of its app: no practice store in an exam
        # (the exam's own sink saves every reply).
        self.store: Any = None
        self.trainee: Any = None
        self.best: dict[str, float] = {}
        self.free_text = False  # exam calls offer the authored replies
        # Set before any Header is mounted: a title changed under a mounting Header fails.
        self.title = self.tr("exam_app_title", candidate=exam.candidate)
        self.sub_title = exam.blueprint.title.get(lang)

    def tr(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def get_default_screen(self) -> Screen[Any]:
        # An empty ground under the exam's screens, which replace one another on it.
        return Screen()

    def on_mount(self) -> None:
        if self.resumed:
            self.notify(self.tr("exam_resumed"), markup=False)
        if self.exam.finished:
            self._finish()
        self.push_screen(self._screen_for_now())
        self.set_interval(self.tick_s, self.tick)

    # Exam mode: nothing but the exam's own keys.

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        return iter(())

    def action_command_palette(self) -> None:
        return None

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        return None

    # What the practice call screen calls on its app.

    def store_failed(self, why: str) -> None:
        self.notify(self.tr("exam_not_saved", why=why), severity="error", markup=False)

    def refresh_best(self) -> None:
        return None

    def show_debrief(self, call: Call, mode: str) -> None:
        # No debrief in an exam: back to the section's list of calls.
        self.show_current()

    # The clock.

    def tick(self) -> None:
        """Close the section when its time is up; otherwise save the time used."""
        from simulator.store.errors import StoreError  # noqa: PLC0415

        exam = self.exam
        sp = exam.current
        if sp is None or exam.status(sp.id) != OPEN:
            return
        try:
            closed = exam.tick()
            if not closed:
                exam.heartbeat()
        except StoreError as exc:
            self.store_failed(str(exc))
            return
        if closed:
            self.section_over(sp.section.title.get(self.lang))
            return
        self.refresh_clock()

    def refresh_clock(self) -> None:
        for screen in self.screen_stack:
            # A screen pushed a moment ago may not have composed its clock yet: the tick
            # once fired in between on a loaded machine and ended the exam app. It shows
            # the time itself when it mounts.
            if not screen.is_mounted:
                continue
            show = getattr(screen, "show_clock", None)
            if show is not None:
                show()

    def section_over(self, title: str) -> None:
        """The clock closed a section: say so and go on to what comes next."""
        self.notify(self.tr("exam_time_up", section=title), severity="warning", markup=False)
        self.show_current()

    # Navigation: every screen change goes through here.

    def _screen_for_now(self) -> Screen[Any]:
        exam = self.exam
        sp = exam.current
        if sp is None:
            from simulator.tui.screens.exam_summary import ExamSummaryScreen  # noqa: PLC0415

            return ExamSummaryScreen()
        if exam.status(sp.id) == PENDING:
            from simulator.tui.screens.exam_overview import ExamOverviewScreen  # noqa: PLC0415

            return ExamOverviewScreen()
        kind = sp.section.kind
        if kind == "theory":
            from simulator.tui.screens.exam_theory import ExamTheoryScreen  # noqa: PLC0415

            return ExamTheoryScreen()
        if kind == "ticket":
            from simulator.tui.screens.exam_tickets import ExamTicketsScreen  # noqa: PLC0415

            return ExamTicketsScreen()
        from simulator.tui.screens.exam_calls import ExamCallsScreen  # noqa: PLC0415

        return ExamCallsScreen()

    def show_current(self) -> None:
        """The screen for where the exam is now, in place of whatever was shown."""
        if self.exam.finished and self.result_path is None and self.result_error is None:
            self._finish()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(self._screen_for_now())

    def start_section(self) -> None:
        from simulator.store.errors import StoreError  # noqa: PLC0415

        try:
            self.exam.open_section()
        except StoreError as exc:
            self.store_failed(str(exc))
        except ExamError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.show_current()

    def submit_section(self) -> None:
        from simulator.store.errors import StoreError  # noqa: PLC0415

        try:
            self.exam.submit_section()
        except StoreError as exc:
            self.store_failed(str(exc))
        except ExamError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.show_current()

    # The end.

    def _finish(self) -> None:
        """Write the signed result file, when a key was given."""
        if self.key is None or self.output is None:
            return
        from simulator.assessment.signing import dumps, sign  # noqa: PLC0415
        from simulator.report.atomic import write_atomic  # noqa: PLC0415

        try:
            write_atomic(self.output, dumps(sign(self.exam.result(), self.key)))
        except OSError as exc:
            self.result_error = f"{self.output}: {exc.strerror or exc}"
            return
        self.result_path = self.output

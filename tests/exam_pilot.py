"""Sitting an exam in the TUI with Textual's Pilot: the keys a candidate presses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from simulator.assessment.exam import Exam, Question, TicketTask
from simulator.assessment.model import Bank, Blueprint
from simulator.scenario.model import Library
from simulator.store.exams import OpenedExam, open_exam
from simulator.store.store import Store
from simulator.tui.exam_app import ExamApp
from simulator.tui.screens.exam_call import ExamCallScreen
from simulator.tui.screens.exam_calls import ExamCallsScreen
from simulator.tui.screens.exam_overview import ExamOverviewScreen
from simulator.tui.screens.exam_summary import ExamSummaryScreen
from simulator.tui.screens.exam_theory import ExamTheoryScreen
from simulator.tui.screens.exam_ticket import TicketFormScreen
from simulator.tui.screens.exam_tickets import ExamTicketsScreen
from tests.exam_fixtures import good_ticket, right_answer

Seen = Callable[[ExamApp], None]  # called on every screen the walk shows


def store_at(folder: Path) -> Store:
    return Store(f"sqlite:///{folder / 'exam.db'}")


def opened(
    store: Store,
    blueprint: Blueprint,
    bank: Bank,
    library: Library,
    candidate: str = "zhang-san",
    seed: str = "s1",
    **kwargs: Any,
) -> OpenedExam:
    return open_exam(store, blueprint, bank, library, candidate, seed=seed, lang="zh", **kwargs)


def exam_app(o: OpenedExam, library: Library, **kwargs: Any) -> ExamApp:
    return ExamApp(o.exam, library, "zh", resumed=o.resumed, still=True, **kwargs)


async def answer_question(pilot: Pilot[None], exam: Exam, q: Question) -> None:
    """The right answer, with the keys (or, for a short answer, typed and Enter)."""
    answer = right_answer(exam, q)
    if q.kind == "short":
        field = pilot.app.screen.query_one("#exam-short", Input)
        field.value = str(answer) + "\x1b[31m\x07"  # control characters are stripped
        await pilot.press("enter")
        return
    if q.kind == "true-false":
        await pilot.press("1" if answer else "2")
    else:
        ids = [o.id for o in q.options]
        chosen = answer if isinstance(answer, list) else [answer]
        for option in chosen:
            await pilot.press(str(ids.index(option) + 1))
    await pilot.press("pagedown")


async def hand_in(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()


async def take_theory(pilot: Pilot[None], exam: Exam, seen: Seen) -> None:
    app = pilot.app
    assert isinstance(app, ExamApp)
    screen = app.screen
    assert isinstance(screen, ExamTheoryScreen)
    for q in list(screen.questions):
        assert app.screen.pos == q.number - 1  # type: ignore[attr-defined]
        seen(app)
        await answer_question(pilot, exam, q)
    await hand_in(pilot)


async def take_calls(pilot: Pilot[None], exam: Exam, seen: Seen) -> None:
    app = pilot.app
    assert isinstance(app, ExamApp)
    assert isinstance(app.screen, ExamCallsScreen)
    count = len(app.screen.tasks)
    for n in range(count):
        seen(app)
        for _ in range(n):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamCallScreen)
        call = screen.call
        while not call.finished:
            seen(app)
            best = call.plot.best_choice(call.scenario.states[call.state])
            number = [c.id for c in call.choices].index(best.id) + 1
            await pilot.press(str(number))
        seen(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamCallsScreen)
    await hand_in(pilot)


async def take_tickets(pilot: Pilot[None], exam: Exam, seen: Seen) -> None:
    app = pilot.app
    assert isinstance(app, ExamApp)
    assert isinstance(app.screen, ExamTicketsScreen)
    tasks: list[TicketTask] = list(app.screen.tasks)
    for n, task in enumerate(tasks):
        seen(app)
        for _ in range(n):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TicketFormScreen)
        for name, value in good_ticket(exam, task).items():
            widget = form.query_one(f"#ticket-{name}")
            if isinstance(widget, Input):
                widget.value = value
            elif isinstance(widget, TextArea):
                widget.text = value
            else:
                assert isinstance(widget, Select)
                widget.value = value
        await pilot.pause()
        seen(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExamTicketsScreen)
    await hand_in(pilot)


async def sit_in_tui(pilot: Pilot[None], seen: Seen = lambda app: None) -> None:
    """Every section, from the overview to the summary."""
    app = pilot.app
    assert isinstance(app, ExamApp)
    exam = app.exam
    while not exam.finished:
        assert isinstance(app.screen, ExamOverviewScreen), app.screen
        seen(app)
        await pilot.press("enter")
        await pilot.pause()
        kind = exam.current.section.kind if exam.current else None
        if kind == "theory":
            await take_theory(pilot, exam, seen)
        elif kind == "ticket":
            await take_tickets(pilot, exam, seen)
        else:
            await take_calls(pilot, exam, seen)
    assert isinstance(app.screen, ExamSummaryScreen)
    seen(app)

"""The small fixture bank and blueprint, and a way to sit a whole exam in a test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.assessment.bank import load_bank
from simulator.assessment.blueprint import load_blueprint
from simulator.assessment.exam import CallTask, Exam, Question, TicketTask
from simulator.assessment.model import Bank, Blueprint
from tests.conftest import FIXTURES

ASSESSMENT = FIXTURES / "assessment"
BANK_DIR = ASSESSMENT / "bank"
SMALL = ASSESSMENT / "blueprints" / "small.yaml"


def fixture_bank() -> Bank:
    return load_bank([BANK_DIR])


def small_blueprint() -> Blueprint:
    return load_blueprint(SMALL)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def right_answer(exam: Exam, q: Question) -> Any:
    item = exam.bank.items[q.key.split("/", 1)[1]]
    if item.kind == "single":
        return item.correct_ids[0]
    if item.kind == "multiple":
        return list(item.correct_ids)
    if item.kind == "true-false":
        return item.answer
    return " ".join(kp.keywords["zh"][0] for kp in item.key_points)


def good_ticket(exam: Exam, task: TicketTask) -> dict[str, str]:
    case = exam.ticket_case(task.key)
    return {
        "name": case.name[0],
        "contact": case.contact or "",
        "account": case.account or "",
        "problem_type": "enquiry",
        "priority": case.priority,
        "description": "客户来电反映的问题已经按档案核对，现象、时间和影响都已记录清楚。",
        "actions": "1. 09:30 核实身份\n2. 09:32 查询记录\n3. 09:35 说明处理方案",
        "solution": "已按流程处理，预计明天 14:00 前完成。",
        "follow_up": "明天 14:00 回访",
    }


def sit(
    exam: Exam,
    answer: Callable[[Exam, Question], Any] = right_answer,
    ticket: Callable[[Exam, TicketTask], dict[str, str]] = good_ticket,
) -> None:
    """Take every section: questions answered with ``answer``, calls with the best reply."""
    while not exam.finished:
        exam.open_section()
        for view in exam.items():
            if isinstance(view, Question):
                exam.answer(view.key, answer(exam, view))
            elif isinstance(view, TicketTask):
                exam.answer(view.key, ticket(exam, view))
            else:
                assert isinstance(view, CallTask)
                call = exam.call(view.key)
                while not call.finished:
                    best = call.plot.best_choice(call.scenario.states[call.state])
                    exam.reply(view.key, best.id)
        exam.submit_section()


def write_bank_copy(folder: Path, *, reverse: bool) -> Path:
    """The fixture bank with each file's items in reverse order (a different file order)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(BANK_DIR.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        head = lines[: lines.index("items:\n") + 1]
        items: list[list[str]] = []
        for line in lines[len(head) :]:
            if line.startswith("  - id:"):
                items.append([])
            items[-1].append(line)
        if reverse:
            items.reverse()
        (folder / path.name).write_text("".join(head + [ln for it in items for ln in it]), "utf-8")
    return folder

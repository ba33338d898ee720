"""Exam attempts in a real store (SQLite file and PostgreSQL): every answer saved as it
is given, resume with the same items, order and time left, one attempt unless allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.assessment.bank import load_bank
from simulator.assessment.exam import Question, TicketTask
from simulator.scenario.model import Library
from simulator.store.exams import ExamLocked, ExamResumeError, ExamStore, open_exam
from simulator.store.store import Store
from tests.exam_fixtures import (
    FakeClock,
    fixture_bank,
    right_answer,
    sit,
    small_blueprint,
    write_bank_copy,
)


def test_answers_are_saved_and_an_attempt_resumes_exactly(db_url: str, library: Library) -> None:
    bp, bank = small_blueprint(), fixture_bank()
    clock = FakeClock()
    with Store(db_url) as store:
        opened = open_exam(store, bp, bank, library, "C-001", seed="s1", clock=clock)
        exam = opened.exam
        assert not opened.resumed
        exam.open_section()
        questions = [v for v in exam.items() if isinstance(v, Question)]
        for q in questions[:5]:
            exam.answer(q.key, right_answer(exam, q))
        clock.advance(125.4)
        exam.heartbeat()
        before = exam.snapshot()
        remaining = exam.remaining_s()
    # A new process: another clock, nothing in memory.
    with Store(db_url) as store:
        again = open_exam(store, bp, bank, library, "C-001", seed="ignored", clock=FakeClock(9))
        assert again.resumed and again.attempt.id == opened.attempt.id
        exam2 = again.exam
        assert exam2.plan.seed == "s1"
        assert [v.key for v in exam2.items()] == [q.key for q in questions]
        assert [getattr(v, "options", ()) for v in exam2.items()] == [q.options for q in questions]
        assert exam2.remaining_s() == remaining
        assert exam2.snapshot()["answers"] == before["answers"]
        assert len(before["answers"]) == 5


def test_calls_and_tickets_resume_mid_section(db_url: str, library: Library) -> None:
    bp, bank = small_blueprint(), fixture_bank()
    with Store(db_url) as store:
        exam = open_exam(store, bp, bank, library, "C-002", seed="s2", clock=FakeClock()).exam
        exam.open_section()
        exam.submit_section()  # theory left blank
        exam.open_section()
        task = exam.items()[0]
        call = exam.call(task.key)
        for _ in range(3):
            exam.reply(task.key, call.plot.best_choice(call.scenario.states[call.state]).id)
        replies = [t.choice for t in call.turns]
        mood = call.mood
    with Store(db_url) as store:
        exam2 = open_exam(store, bp, bank, library, "C-002", clock=FakeClock()).exam
        assert exam2.current is not None and exam2.current.id == "calls"
        assert exam2.status("theory") == "closed"
        call2 = exam2.call(task.key)
        assert [t.choice for t in call2.turns] == replies and call2.mood == mood


def test_no_second_attempt_unless_allowed(db_url: str, library: Library) -> None:
    bp, bank = small_blueprint(), fixture_bank()
    with Store(db_url) as store:
        exam = open_exam(store, bp, bank, library, "C-003", seed="s3", clock=FakeClock()).exam
        sit(exam)
        exams = ExamStore(store)
        (done,) = exams.attempts("C-003", bp.id)
        assert done.status == "finished" and done.result is not None
        assert done.result["candidate"] == "C-003" and done.result["attempt"] == done.uid
        assert done.passed == done.result["passed"]
        with pytest.raises(ExamLocked):
            open_exam(store, bp, bank, library, "C-003", clock=FakeClock())
        exams.allow_retake("C-003", bp.id)
        second = open_exam(store, bp, bank, library, "C-003", clock=FakeClock())
        assert not second.resumed and second.exam.plan.seed != "s3"  # a fresh random seed
        exams.abandon(second.attempt.id)
        with pytest.raises(ExamLocked):
            open_exam(store, bp, bank, library, "C-003", clock=FakeClock())


def test_a_changed_bank_stops_a_resume(db_url: str, library: Library, tmp_path: Path) -> None:
    bp = small_blueprint()
    with Store(db_url) as store:
        open_exam(store, bp, fixture_bank(), library, "C-004", seed="s4", clock=FakeClock())
        other = load_bank([write_bank_copy(tmp_path / "b", reverse=True)])
        with pytest.raises(ExamResumeError, match="question bank changed"):
            open_exam(store, bp, other, library, "C-004", clock=FakeClock())


def test_ticket_forms_are_saved_field_by_field(db_url: str, library: Library) -> None:
    bp, bank = small_blueprint(), fixture_bank()
    with Store(db_url) as store:
        exam = open_exam(store, bp, bank, library, "C-005", seed="s5", clock=FakeClock()).exam
        exam.open_section()
        exam.submit_section()
        exam.open_section()
        exam.submit_section()
        exam.open_section()
        task = exam.items()[0]
        assert isinstance(task, TicketTask)
        exam.answer(task.key, {"name": "许静", "follow_up": "明天 14:00"})
    with Store(db_url) as store:
        exam2 = open_exam(store, bp, bank, library, "C-005", clock=FakeClock()).exam
        assert exam2.answer_of(task.key) == {"name": "许静", "follow_up": "明天 14:00"}

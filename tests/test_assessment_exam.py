"""The exam engine: what screens are given holds no answer, the clock closes sections,
answers go only where they belong, and a snapshot restores the very same exam."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from simulator.assessment.bank import load_bank
from simulator.assessment.blueprint import load_blueprint
from simulator.assessment.exam import (
    BadAnswer,
    CallTask,
    Exam,
    NotOpen,
    Question,
    RestoreError,
    TicketTask,
    TimeUp,
)
from simulator.assessment.signing import canonical
from simulator.scenario.model import Library
from tests.exam_fixtures import (
    BANK_DIR,
    FakeClock,
    fixture_bank,
    right_answer,
    sit,
    small_blueprint,
)

SENTINEL = "SENTINEL7Q"


def _exam(library: Library, clock: FakeClock | None = None, candidate: str = "C-001") -> Exam:
    return Exam.new(
        small_blueprint(), fixture_bank(), library, candidate, "golden", clock=clock or FakeClock()
    )


def test_screens_get_no_answer_key_point_or_explanation(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    for path in BANK_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("的解析。", SENTINEL).replace("Why, for", SENTINEL)
        text = text.replace("核实身份", SENTINEL).replace("correct: true", "correct: true ")
        (folder / path.name).write_text(text, encoding="utf-8")
    bank = load_bank([folder])
    exam = Exam.new(small_blueprint(), bank, library, "C-001", "golden", clock=FakeClock())
    for sp in exam.sections:
        shown = exam.items(sp.id)
        assert SENTINEL not in repr(shown)
        for view in shown:
            assert not hasattr(view, "correct") and not hasattr(view, "explanation")
            if isinstance(view, Question):
                for option in view.options:
                    assert {f.name for f in fields(option)} == {"id", "text"}


def test_a_section_runs_on_its_own_clock(library: Library) -> None:
    clock = FakeClock()
    exam = _exam(library, clock)
    assert exam.remaining_s() is None  # not open yet
    exam.open_section()
    assert exam.remaining_s() == 20 * 60
    first = exam.items()[0]
    assert isinstance(first, Question)
    clock.advance(600)
    exam.answer(first.key, right_answer(exam, first))
    assert exam.remaining_s() == 600
    assert not exam.tick()
    clock.advance(600)
    with pytest.raises(TimeUp):
        exam.answer(first.key, None)
    assert exam.status("theory") == "closed"
    score = exam.score("theory")
    assert score is not None and score.timed_out and score.elapsed_ms == 1_200_000
    assert score.items[0].earned == 1  # the answer given in time still counts
    assert exam.current is not None and exam.current.id == "calls"


def test_answers_go_only_where_they_belong(library: Library) -> None:
    exam = _exam(library)
    first = exam.items()[0]
    with pytest.raises(NotOpen, match="not open"):
        exam.answer(first.key, True)
    exam.open_section()
    with pytest.raises(NotOpen, match="not the current one"):
        exam.answer("tickets/" + exam.sections[2].items[0].ref, {})
    with pytest.raises(NotOpen, match="not an item"):
        exam.answer("theory/nope", True)
    single = next(v for v in exam.items() if isinstance(v, Question) and v.kind == "single")
    with pytest.raises(BadAnswer, match="one of the options"):
        exam.answer(single.key, "z")
    multiple = next(v for v in exam.items() if isinstance(v, Question) and v.kind == "multiple")
    with pytest.raises(BadAnswer):
        exam.answer(multiple.key, "a")
    exam.answer(multiple.key, ["c", "a", "a"])
    assert exam.answer_of(multiple.key) == ["a", "c"]
    exam.answer(multiple.key, None)
    assert exam.answer_of(multiple.key) is None
    short = next(v for v in exam.items() if isinstance(v, Question) and v.kind == "short")
    exam.answer(short.key, "  核实\x1b[2J身份 ")
    assert exam.answer_of(short.key) == "核实[2J身份"


def test_a_whole_exam_gives_a_signable_result(library: Library) -> None:
    exam = _exam(library)
    sit(exam)
    assert exam.finished
    result = exam.result()
    assert [s["id"] for s in result["sections"]] == ["theory", "calls", "tickets", "situations"]
    theory = result["sections"][0]
    assert theory["earned"] == "9.00" and theory["passed"] is True
    calls = result["sections"][1]["items"]
    assert all(c["replies"] and c["finished"] for c in calls)
    tickets = result["sections"][2]["items"]
    assert all(t["earned"] == "20.00" for t in tickets), tickets
    assert result["candidate"] == "C-001" and result["seed"] == "golden"
    assert result["blueprint"]["sha256"] == small_blueprint().digest
    assert set(result["topics"]) == {"call-phases", "privacy", "tickets"}
    canonical(result)  # no floats anywhere: it can be signed
    assert result["passed"] == all(s["passed"] for s in result["sections"])


def test_a_call_cut_off_by_the_clock_is_capped(library: Library) -> None:
    clock = FakeClock()
    exam = _exam(library, clock)
    exam.open_section()
    exam.submit_section()
    exam.open_section()
    task = exam.items()[0]
    assert isinstance(task, CallTask)
    call = exam.call(task.key)
    exam.reply(task.key, call.plot.best_choice(call.scenario.states[call.state]).id)
    clock.advance(31 * 60)
    assert exam.tick()
    score = exam.score("calls")
    assert score is not None
    assert score.items[0].share <= 0.4 and score.items[1].earned == 0  # never started
    assert exam.played(task.key) is call


def test_snapshot_restores_the_same_exam(library: Library) -> None:
    clock = FakeClock()
    exam = _exam(library, clock)
    exam.open_section()
    for view in exam.items()[:4]:
        assert isinstance(view, Question)
        exam.answer(view.key, right_answer(exam, view))
    clock.advance(95.5)
    snap = json.loads(json.dumps(exam.snapshot()))
    again = Exam.restore(snap, small_blueprint(), fixture_bank(), library, clock=FakeClock(5))
    assert again.remaining_s() == exam.remaining_s()
    assert [v.key for v in again.items()] == [v.key for v in exam.items()]
    assert again.snapshot()["answers"] == exam.snapshot()["answers"]
    for e in (exam, again):
        sit(e)
    a, b = exam.result(), again.result()
    for r in (a, b):
        r.pop("finished_at")
        for s in r["sections"]:
            s.pop("elapsed_s")
    assert a == b


def test_restore_refuses_another_blueprint(tmp_path: Path, library: Library) -> None:
    exam = _exam(library)
    snap = exam.snapshot()
    other = tmp_path / "bp.yaml"
    other.write_text(
        small_blueprint()
        .path.read_text(encoding="utf-8")
        .replace("\nversion: 1\n", "\nversion: 2\n"),
        encoding="utf-8",
    )
    with pytest.raises(RestoreError, match="drawn from blueprint"):
        Exam.restore(snap, load_blueprint(other), fixture_bank(), library)
    snap["answers"] = {"theory/nope": True}
    with pytest.raises(RestoreError, match="not in the exam"):
        Exam.restore(snap, small_blueprint(), fixture_bank(), library)


def test_ticket_tasks_show_the_case_file(library: Library) -> None:
    exam = _exam(library)
    for _ in range(2):
        exam.open_section()
        exam.submit_section()
    exam.open_section()
    task = exam.items()[0]
    assert isinstance(task, TicketTask)
    assert task.facts["name"] == library.scenarios[task.scenario_id].customer["name"]
    assert exam.ticket_case(task.key).outcome is None  # the call was never played
    with pytest.raises(BadAnswer, match="unknown ticket field"):
        exam.answer(task.key, {"nmae": "x"})

"""The exam in the TUI, driven with Pilot: a whole exam from the overview to the
summary, every answer in the store, the clock closing a section, the signed result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.assessment.bank import load_bank
from simulator.assessment.blueprint import load_blueprint
from simulator.assessment.signing import generate, load_private, load_public, verify
from simulator.cli_exam import assessment_dir
from simulator.scenario.model import Library
from simulator.store.exams import FINISHED, ExamStore
from simulator.tui.screens.exam_overview import ExamOverviewScreen
from simulator.tui.screens.exam_summary import ExamSummaryScreen
from simulator.tui.screens.exam_theory import ExamTheoryScreen
from tests.conftest import run_cli
from tests.exam_fixtures import FakeClock, fixture_bank, small_blueprint
from tests.exam_pilot import exam_app, opened, sit_in_tui, store_at

SIZE = (120, 40)


# A whole exam's key presses: minutes on 2 cores shared by many workers.
@pytest.mark.timeout(600)
async def test_the_default_exam_is_sat_to_the_end_in_the_tui(
    tmp_path: Path, library: Library
) -> None:
    bp = load_blueprint(assessment_dir() / "blueprints" / "default.yaml")
    bank = load_bank([assessment_dir() / "bank"])
    private, public, _ = generate(tmp_path)
    out = tmp_path / "result.json"
    with store_at(tmp_path) as store:
        o = opened(store, bp, bank, library)
        app = exam_app(o, library, key=load_private(private), output=out)
        async with app.run_test(size=SIZE) as pilot:
            await sit_in_tui(pilot)
            summary = app.screen
            assert isinstance(summary, ExamSummaryScreen)
        exam = o.exam
        assert exam.finished and exam.overall().passed
        stored = ExamStore(store).attempt(o.attempt.id)
        assert stored is not None and stored.status == FINISHED and stored.passed
        # Short answers were typed with control characters: stored without them.
        for key, value in ExamStore(store).answers(o.attempt.id).items():
            assert "\x1b" not in json.dumps(value) and "\x07" not in json.dumps(value), key
    check = verify(out.read_bytes(), load_public(public))
    assert check.valid, check.problems
    assert check.result is not None and check.result["candidate"] == "zhang-san"
    assert check.result["passed"] is True


async def test_the_clock_closes_a_section_and_unanswered_items_score_nothing(
    tmp_path: Path, library: Library
) -> None:
    clock = FakeClock()
    with store_at(tmp_path) as store:
        o = opened(store, small_blueprint(), fixture_bank(), library, clock=clock)
        app = exam_app(o, library, tick_s=0.05)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ExamOverviewScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExamTheoryScreen)
            await pilot.press("1")
            assert o.exam.answered() == 1
            clock.advance(20 * 60 + 1)
            await pilot.pause(0.2)
            assert isinstance(app.screen, ExamOverviewScreen)
        score = o.exam.score("theory")
        assert score is not None and score.timed_out
        assert sum(1 for i in score.items if i.earned > 0) <= 1  # the one answer, if right


def test_exam_start_refuses_bad_input_before_the_exam_opens(tmp_path: Path) -> None:
    db = str(tmp_path / "exam.db")
    bad_key = run_cli("exam", "start", "--candidate", "c1", "--key", "nope.key", "--db", db)
    assert bad_key.returncode == 2 and "nope.key" in bad_key.stderr
    assert "Traceback" not in bad_key.stderr
    bad_seed = run_cli("exam", "start", "--candidate", "c1", "--seed", "a b", "--db", db)
    assert bad_seed.returncode == 2 and "seed" in bad_seed.stderr
    unknown = run_cli("exam", "start", "--candidate", "c1", "--blueprint", "nope", "--db", db)
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    assert not (tmp_path / "exam.db").exists()  # nothing was started

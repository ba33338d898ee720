"""A killed exam resumes: the same attempt, the same items in the same order, the
answers given, and the time left within 2 s; a finished exam is not sat again unless
an instructor allows it."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from simulator.assessment.exam import Question
from simulator.scenario.model import Library
from simulator.store.exams import ExamLocked, ExamStore
from simulator.store.store import Store
from simulator.tui.screens.exam_theory import ExamTheoryScreen
from tests.conftest import ROOT
from tests.exam_fixtures import fixture_bank, small_blueprint
from tests.exam_pilot import answer_question, exam_app, opened, sit_in_tui, store_at

SIZE = (120, 40)


# A child process loads the library and sits part of an exam: slow on busy cores.
@pytest.mark.timeout(600)
def test_a_killed_exam_resumes_with_the_same_items_answers_and_time_left(
    tmp_path: Path, library: Library
) -> None:
    url = f"sqlite:///{tmp_path / 'exam.db'}"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.exam_seat", url, "3"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CALLDRILL_LANG": "zh"},
    )
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], 240)
        assert ready, "the child never got ready"
        line = child.stdout.readline().split()
        assert line and line[0] == "READY", line
        time.sleep(1.5)  # the exam's clock runs on, and its heartbeat saves it
        killed_at = time.time()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    _, uid, remaining, at = line
    left_when_killed = float(remaining) - (killed_at - float(at))
    with Store(url) as store:
        o = opened(store, small_blueprint(), fixture_bank(), library)
        assert o.resumed and o.attempt.uid == uid
        left = o.exam.remaining_s()
        assert left is not None and abs(left - left_when_killed) <= 2.0
        assert len(ExamStore(store).answers(o.attempt.id)) == 3
        again = opened(store, small_blueprint(), fixture_bank(), library, seed="other")
        assert again.exam.plan == o.exam.plan  # the same items, in the same order


async def test_an_exam_left_mid_section_reopens_where_it_was(
    tmp_path: Path, library: Library
) -> None:
    with store_at(tmp_path) as store:
        first = opened(store, small_blueprint(), fixture_bank(), library)
        app = exam_app(first, library)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ExamTheoryScreen)
            order = [q.key for q in screen.questions]
            for q in screen.questions[:4]:
                await answer_question(pilot, first.exam, q)
            await pilot.press("pageup")
            shown = str(screen.query_one("#exam-options", Static).render())
            left = first.exam.remaining_s()
        # The app is gone without finishing; the same candidate starts it again.
        second = opened(store, small_blueprint(), fixture_bank(), library)
        assert second.resumed and second.attempt.id == first.attempt.id
        resumed_left = second.exam.remaining_s()
        assert left is not None and resumed_left is not None
        assert abs(resumed_left - left) <= 2.0
        app = exam_app(second, library)
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, ExamTheoryScreen)  # straight back into the section
            assert [q.key for q in screen.questions] == order
            for _ in range(3):
                await pilot.press("pagedown")
            q = screen.questions[3]
            assert isinstance(q, Question)
            assert str(screen.query_one("#exam-options", Static).render()) == shown
            assert second.exam.answered() == 4


# A whole exam's key presses: minutes on 2 cores shared by many workers.
@pytest.mark.timeout(600)
async def test_a_finished_exam_is_not_sat_again_unless_allowed(
    tmp_path: Path, library: Library
) -> None:
    with store_at(tmp_path) as store:
        o = opened(store, small_blueprint(), fixture_bank(), library)
        app = exam_app(o, library)
        async with app.run_test(size=SIZE) as pilot:
            await sit_in_tui(pilot)
        with pytest.raises(ExamLocked):
            opened(store, small_blueprint(), fixture_bank(), library)
        ExamStore(store).allow_retake(o.exam.candidate, small_blueprint().id)
        retake = opened(store, small_blueprint(), fixture_bank(), library, seed="s2")
        assert not retake.resumed and retake.attempt.id != o.attempt.id

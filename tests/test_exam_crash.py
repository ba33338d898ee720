"""A candidate's exam killed with SIGKILL resumes with the same items, the answers given
and the time left (to within the heartbeat, well under 2 s)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from simulator.assessment.exam import Question
from simulator.scenario.model import Library
from simulator.store.exams import open_exam
from simulator.store.store import Store
from tests.conftest import ROOT
from tests.exam_fixtures import fixture_bank, right_answer, small_blueprint


def test_sigkill_mid_exam_resumes_with_the_same_state(tmp_path: Path, library: Library) -> None:
    url = f"sqlite:///{tmp_path / 'calldrill.sqlite3'}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.exam_taker", url, "C-042", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "CALLDRILL_LANG": "en"},
        text=True,
    )
    assert proc.stdout is not None
    lines: list[dict[str, object]] = []
    while len(lines) < 8:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "the exam process stopped"
        lines.append(json.loads(line))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    items = lines[0]["items"]
    last = lines[-1]["remaining"]
    assert isinstance(last, float) and last < 20 * 60  # the clock was running

    with Store(url) as store:
        opened = open_exam(store, small_blueprint(), fixture_bank(), library, "C-042")
    exam = opened.exam
    assert opened.resumed and exam.plan.seed == "crash"
    assert [v.key for v in exam.items()] == items
    questions = [v for v in exam.items() if isinstance(v, Question)]
    for q in questions[:4]:
        assert exam.answer_of(q.key) == right_answer(exam, q)
    assert all(exam.answer_of(q.key) is None for q in questions[4:])
    remaining = exam.remaining_s()
    assert remaining is not None and abs(remaining - last) < 2.0

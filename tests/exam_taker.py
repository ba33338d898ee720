"""A candidate's exam in a process of its own, to be killed mid-exam by the crash test.

python -m tests.exam_taker URL CANDIDATE ANSWERS

Answers the first ANSWERS questions of the theory section, then keeps heartbeating:
each heartbeat is committed, then reported on stdout as one JSON line.
"""

from __future__ import annotations

import json
import sys
import time

from simulator.assessment.exam import Question
from simulator.scenario.library import load_library
from simulator.store.exams import open_exam
from simulator.store.store import Store
from tests.exam_fixtures import fixture_bank, right_answer, small_blueprint


def main(url: str, candidate: str, answers: int) -> None:
    with Store(url) as store:
        exam = open_exam(
            store, small_blueprint(), fixture_bank(), load_library(), candidate, seed="crash"
        ).exam
        exam.open_section()
        questions = [v for v in exam.items() if isinstance(v, Question)]
        for q in questions[:answers]:
            exam.answer(q.key, right_answer(exam, q))
        print(json.dumps({"items": [q.key for q in questions]}), flush=True)
        while True:
            exam.heartbeat()
            print(json.dumps({"remaining": exam.remaining_s()}), flush=True)
            time.sleep(0.1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))

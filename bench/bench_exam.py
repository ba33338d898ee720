"""Speed figures for the pre-job assessment (`make bench`). Reports numbers; asserts nothing.

What a candidate waits for: loading and checking the bank and the default blueprint, the
draw, every answer saved (a committed transaction on a SQLite file), the whole default
exam sat headless, the result signed and verified.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from simulator.assessment.bank import load_bank
from simulator.assessment.blueprint import check_blueprint, load_blueprint
from simulator.assessment.exam import CallTask, Exam, Question, TicketTask
from simulator.assessment.signing import dumps, generate, load_private, load_public, sign, verify
from simulator.scenario.library import bundled_dir, load_library
from simulator.store.exams import open_exam
from simulator.store.store import Store

BANK = bundled_dir() / "assessment" / "bank"
DEFAULT = bundled_dir() / "assessment" / "blueprints" / "default.yaml"


def _median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def _sit(exam: Exam) -> None:
    while not exam.finished:
        exam.open_section()
        for view in exam.items():
            if isinstance(view, Question):
                item = exam.bank.items[view.key.split("/", 1)[1]]
                answer: object = {
                    "single": item.correct_ids[0] if item.options else None,
                    "multiple": list(item.correct_ids),
                    "true-false": item.answer,
                    "short": " ".join(kp.keywords["zh"][0] for kp in item.key_points),
                }[item.kind]
                exam.answer(view.key, answer)
            elif isinstance(view, TicketTask):
                exam.answer(view.key, {"name": "x", "follow_up": "14:00"})
            else:
                assert isinstance(view, CallTask)
                call = exam.call(view.key)
                while not call.finished:
                    best = call.plot.best_choice(call.scenario.states[call.state])
                    exam.reply(view.key, best.id)
        exam.submit_section()


def main() -> None:
    print(f"python {sys.version.split()[0]} · {sys.platform}")
    med, worst = _median_ms(lambda: load_bank([BANK]), 10)
    bank = load_bank([BANK])
    print(
        f"bank load + validate ({len(bank.items)} items): median {med:.1f} ms, max {worst:.1f} ms"
    )
    lib = load_library(bundled_dir())
    bp = load_blueprint(DEFAULT)
    med, worst = _median_ms(
        lambda: check_blueprint(load_blueprint(DEFAULT), bank, lib.scenarios), 10
    )
    print(f"default blueprint load + check: median {med:.1f} ms, max {worst:.1f} ms")
    n = 0

    def one_draw() -> None:
        nonlocal n
        n += 1
        Exam.new(bp, bank, lib, f"C-{n:04d}", "bench")

    med, worst = _median_ms(one_draw, 50)
    print(
        f"draw of the default exam (100 items, 5 calls, 3 tickets): median {med:.1f} ms, "
        f"max {worst:.1f} ms"
    )

    with tempfile.TemporaryDirectory() as tmp:
        with Store(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}") as store:
            exam = open_exam(store, bp, bank, lib, "C-BENCH", seed="bench").exam
            exam.open_section()
            questions = [v for v in exam.items() if isinstance(v, Question)]
            times = []
            for q in questions:
                start = time.perf_counter()
                exam.answer(q.key, None)
                times.append((time.perf_counter() - start) * 1000)
            print(
                f"one answer saved (committed, SQLite synchronous=FULL): median "
                f"{statistics.median(times):.2f} ms, max {max(times):.2f} ms"
            )
            start = time.perf_counter()
            exam.heartbeat()
            print(f"one heartbeat: {(time.perf_counter() - start) * 1000:.2f} ms")
        headless = Exam.new(bp, bank, lib, "C-FULL", "bench")
        start = time.perf_counter()
        _sit(headless)
        result = headless.result()
        print(
            "whole default exam sat headless + result: "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
        generate(Path(tmp))
        key = load_private(Path(tmp) / "calldrill-exam.key")
        public = load_public(Path(tmp) / "calldrill-exam.pub")
        text = dumps(sign(result, key)).encode()
        med, _ = _median_ms(lambda: sign(result, key), 20)
        print(f"sign a result ({len(text) // 1024} KiB): median {med:.2f} ms")
        med, _ = _median_ms(lambda: verify(text, public), 20)
        print(f"verify a result: median {med:.2f} ms")


if __name__ == "__main__":
    main()

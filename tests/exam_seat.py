"""A candidate's seat in a child process, for the kill test: sits part of the theory
section in the TUI (headless), says how much time is left, then waits to be killed.

    python -m tests.exam_seat DB_URL ANSWERS
"""

from __future__ import annotations

import asyncio
import sys
import time

from simulator.scenario.library import bundled_dir, load_library
from simulator.store.store import Store
from simulator.tui.screens.exam_theory import ExamTheoryScreen
from tests.exam_fixtures import fixture_bank, small_blueprint
from tests.exam_pilot import answer_question, exam_app, opened


async def seat(url: str, answers: int) -> None:
    library = load_library(bundled_dir())
    store = Store(url)
    o = opened(store, small_blueprint(), fixture_bank(), library)
    app = exam_app(o, library, tick_s=0.25)
    async with app.run_test(size=(120, 40)) as pilot:
        if not o.resumed:
            await pilot.press("enter")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamTheoryScreen)
        for q in screen.questions[:answers]:
            await answer_question(pilot, o.exam, q)
        remaining = o.exam.remaining_s()
        print(f"READY {o.attempt.uid} {remaining:.3f} {time.time():.3f}", flush=True)
        while True:  # the heartbeat goes on until the parent kills this process
            await asyncio.sleep(0.1)


if __name__ == "__main__":
    asyncio.run(seat(sys.argv[1], int(sys.argv[2])))

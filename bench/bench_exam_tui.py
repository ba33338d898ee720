"""Speed figures for the exam in the TUI (`make bench`). Reports numbers; asserts nothing.

The issue asks that a full default exam (100 questions, 3 calls, 3 tickets, 2
situational calls) can be sat by a Pilot-driven test in under a minute: this sits it
headless with the same keys as tests/test_tui_exam.py and reports the time per part,
and the time a key press takes on the theory screen (each answer is a committed
transaction on a SQLite file).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.assessment.bank import load_bank
from simulator.assessment.blueprint import load_blueprint
from simulator.scenario.library import bundled_dir, load_library
from tests.exam_pilot import (
    exam_app,
    opened,
    store_at,
    take_calls,
    take_theory,
    take_tickets,
)

BANK = bundled_dir() / "assessment" / "bank"
DEFAULT = bundled_dir() / "assessment" / "blueprints" / "default.yaml"
SIZE = (80, 24)  # the smallest terminal the app supports: what the Pilot test uses


async def sit(folder: Path) -> dict[str, float]:
    library = load_library(bundled_dir())
    bp, bank = load_blueprint(DEFAULT), load_bank([BANK])
    parts: dict[str, float] = {}
    with store_at(folder) as store:
        o = opened(store, bp, bank, library)
        app = exam_app(o, library)
        start = time.perf_counter()
        cpu = time.process_time()
        async with app.run_test(size=SIZE) as pilot:
            exam = o.exam
            while not exam.finished:
                await pilot.press("enter")
                await pilot.pause()
                assert exam.current is not None
                section = exam.current.section
                began = time.perf_counter()
                if section.kind == "theory":
                    await take_theory(pilot, exam, lambda a: None)
                elif section.kind == "ticket":
                    await take_tickets(pilot, exam, lambda a: None)
                else:
                    await take_calls(pilot, exam, lambda a: None)
                parts[section.id] = time.perf_counter() - began
        parts["whole exam"] = time.perf_counter() - start
        # On a busy machine wall time mostly waits for a core; CPU time is what a quiet
        # machine would take.
        parts["CPU time"] = time.process_time() - cpu
        parts["questions"] = float(len(exam.sections[0].items))
    return parts


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        parts = asyncio.run(sit(Path(tmp)))
    n = int(parts.pop("questions"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"exam in the TUI (default blueprint, Pilot at {SIZE[0]}x{SIZE[1]}, "
        f"load average {load:.1f}):"
    )
    for name, seconds in parts.items():
        print(f"  {name:<12} {seconds:7.1f} s")
    if "theory" in parts:
        print(f"  per question {parts['theory'] / n * 1000:7.0f} ms (two key presses, one commit)")


if __name__ == "__main__":
    main()

"""Store speed (`make bench`): CSV export of 100,000 attempts, and the commit of one turn.

Targets (issue: progress that lasts): `export --format csv` of 100,000 attempts <= 5 s.
The per-turn commit (WAL, synchronous=FULL) is reported because it sits on the path from
a key press to the next customer line. Reports numbers; asserts nothing.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from simulator.engine import CallPlot
from simulator.report.exports import write_attempts_csv
from simulator.scenario.library import load_library
from simulator.store.records import iter_records
from simulator.store.store import Store
from simulator.store.tables import Attempt, Trainee

ATTEMPTS = 100_000


def _fill(store: Store) -> None:
    start = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    with store.transaction() as conn:
        conn.execute(
            insert(Trainee),
            [
                {"id": i + 1, "name": f"trainee-{i:03d}", "lang": "zh", "created_at": start}
                for i in range(100)
            ],
        )
        rows = []
        for i in range(ATTEMPTS):
            t = start + timedelta(minutes=i)
            rows.append(
                {
                    "uid": str(uuid.UUID(int=i)),
                    "trainee_id": i % 100 + 1,
                    "scenario_id": "angry-delivery",
                    "scenario_version": 1,
                    "seed": i,
                    "mode": "practice",
                    "lang": "zh",
                    "status": "finished",
                    "started_at": t,
                    "finished_at": t + timedelta(minutes=6),
                    "elapsed_ms": 360_000,
                    "outcome": "resolved",
                    "ending": "solved",
                    "total": 80.5,
                    "passed": True,
                    "expression": 20.0,
                    "process": 20.5,
                    "solving": 20.0,
                    "emotion": 20.0,
                }
            )
            if len(rows) == 10_000:
                conn.execute(insert(Attempt), rows)
                rows = []
        if rows:
            conn.execute(insert(Attempt), rows)


def bench_export(folder: Path) -> None:
    with Store(f"sqlite:///{folder / 'bench.sqlite3'}") as store:
        _fill(store)
        times = []
        for _ in range(3):
            out = folder / "attempts.csv"
            start = time.perf_counter()
            with out.open("w", encoding="utf-8", newline="") as fh:
                n = write_attempts_csv(iter_records(store, turns=False, debrief=False), fh)
            times.append(time.perf_counter() - start)
        print(
            f"export --format csv, {n:,} attempts: median {statistics.median(times):.2f} s "
            f"(target <= 5 s); {out.stat().st_size / 1e6:.1f} MB"
        )


def bench_turn_commit(folder: Path) -> None:
    from simulator.store.recorder import RecordedCall  # noqa: PLC0415

    lib = load_library()
    sid = max(lib.scenarios, key=lambda s: len(lib.scenarios[s].states))
    plot = CallPlot(lib.scenarios[sid], lib.tags, lib.rubric)
    times: list[float] = []
    with Store(f"sqlite:///{folder / 'turns.sqlite3'}") as store:
        me = store.trainee("bench")
        for seed in range(20):
            rc = RecordedCall.start(store, me.id, plot.new_call(seed), mode="exam", lang="zh")
            while not rc.call.finished:
                start = time.perf_counter()
                rc.reply_number(1)
                times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"reply + turn commit (SQLite WAL, synchronous=FULL): median {statistics.median(times):.2f}"
        f" ms, p95 {times[int(len(times) * 0.95)]:.2f} ms over {len(times)} replies "
        "(the last reply of a call also saves its debrief)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_export(folder)
        bench_turn_commit(folder)


if __name__ == "__main__":
    main()

"""Speed of the History and Progress screens' data (`make bench`). Reports numbers; asserts
nothing.

Target (issue: progress that lasts): history/progress screen data for a trainee with
10,000 attempts <= 100 ms.

The 10,000 attempts are copies of real ones: a few calls are played through the real
recorder, then their ``attempts`` and ``skill_stats`` rows are copied in bulk (SQLAlchemy
Core) with new ids, times and seeds. Turns are not copied: these queries never read them.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from simulator.engine import CallPlot
from simulator.scenario.library import bundled_dir, load_library
from simulator.store.queries import history, played_scenarios, practised_skills, progress
from simulator.store.recorder import RecordedCall
from simulator.store.skill_totals import recount_totals
from simulator.store.store import Store
from simulator.store.tables import Attempt, SkillStat

ATTEMPTS = 10_000
HISTORY_ROWS = 200  # what the History screen asks for first (a page; more as it scrolls)


def _median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median and max wall time, and median CPU time (this machine is shared: the CPU
    figure says what the query costs when other work slows the clock down)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), max(wall), statistics.median(cpu)


def _seed(store: Store, n: int) -> int:
    """A trainee with ``n`` finished attempts; returns the trainee's id."""
    lib = load_library(bundled_dir())
    me = store.trainee("bench")
    rng = random.Random(7)
    templates = []
    for k, sc in enumerate(sorted(lib.scenarios.values(), key=lambda s: s.id)):
        plot = CallPlot(sc, lib.tags, lib.rubric)
        for seed in range(2):
            rc = RecordedCall.start(
                store, me.id, plot.new_call(seed + k), mode="practice", lang="zh"
            )
            while not rc.call.finished:
                rc.reply_number(rng.randint(1, len(rc.call.choices)))
            templates.append(rc.attempt.id)
    with store.engine.connect() as conn:
        cols = [c for c in Attempt.__table__.columns if c.name != "id"]
        rows = {
            r.id: r._asdict()
            for r in conn.execute(select(Attempt.__table__).where(Attempt.id.in_(templates))).all()
        }
        stats: dict[int, list[dict[str, Any]]] = {}
        for s in conn.execute(select(SkillStat.__table__)).all():
            stats.setdefault(s.attempt_id, []).append(s._asdict())
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    with store.engine.begin() as conn:
        top = max(rows)
        attempt_rows, stat_rows = [], []
        for i in range(n - len(templates)):
            src = templates[i % len(templates)]
            new_id = top + 1 + i
            when = start + timedelta(minutes=47 * i)
            row = {c.name: rows[src][c.name] for c in cols}
            row.update(
                id=new_id,
                uid=str(uuid.UUID(int=rng.getrandbits(128))),
                seed=i,
                started_at=when,
                finished_at=when + timedelta(minutes=6),
            )
            attempt_rows.append(row)
            stat_rows += [{**s, "attempt_id": new_id} for s in stats.get(src, [])]
        conn.execute(insert(Attempt), attempt_rows)
        conn.execute(insert(SkillStat), stat_rows)
        # The bulk copy bypasses finish_attempt: bring the per-trainee totals up to date.
        recount_totals(conn, me.id)
    return me.id


def main() -> None:
    print(f"python {sys.version.split()[0]} · {sys.platform}")
    lib = load_library(bundled_dir())
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        # The played calls are dated before their copies, so ids follow time as they do
        # for calls played on one machine (see queries.progress on imported ones).
        with Store(url, now=lambda: datetime(2024, 12, 31, 9, tzinfo=UTC)) as store:
            t0 = time.perf_counter()
            trainee = _seed(store, ATTEMPTS)
            made = store.count_attempts()
            with store.engine.connect() as conn:
                n_stats = len(conn.execute(select(SkillStat.tag)).all())
            print(
                f"seeded {made} finished attempts, {n_stats} skill rows"
                f" in {time.perf_counter() - t0:.1f} s"
            )
            some = sorted(lib.scenarios)[0]
            skill = "empathy"
            scenarios = list(lib.scenarios.values())
            cases: list[tuple[str, Callable[[], object]]] = [
                (
                    f"history, newest {HISTORY_ROWS}",
                    lambda: history(store, trainee, limit=HISTORY_ROWS + 1),
                ),
                ("history, all 10,000 (no screen asks this)", lambda: history(store, trainee)),
                (
                    f"history, scenario={some}",
                    lambda: history(store, trainee, scenario=some, limit=HISTORY_ROWS + 1),
                ),
                (
                    f"history, skill={skill}",
                    lambda: history(store, trainee, skill=skill, limit=HISTORY_ROWS + 1),
                ),
                ("progress", lambda: progress(store, trainee, lib.tags, scenarios)),
            ]
            for label, fn in cases:
                fn()  # warm the page cache
                med, worst, cpu = _median_ms(fn, 15)
                print(
                    f"{label}: median {med:.1f} ms (CPU {cpu:.1f} ms), max {worst:.1f} ms"
                    "  [target <= 100 ms]"
                )

            # What each screen reads when it opens (see screens/history.py, progress.py).
            def history_screen() -> None:
                played_scenarios(store, trainee)
                store.count_attempts()
                practised_skills(store, trainee)
                store.count_attempts()
                history(store, trainee, limit=HISTORY_ROWS + 1)

            def progress_screen() -> None:
                store.count_attempts()
                progress(store, trainee, lib.tags, scenarios)

            screens = [("History", history_screen), ("Progress", progress_screen)]
            for label, fn in screens:
                fn()
                med, worst, cpu = _median_ms(fn, 15)
                print(
                    f"{label} screen data, {ATTEMPTS} attempts: median {med:.1f} ms"
                    f" (CPU {cpu:.1f} ms), max {worst:.1f} ms  [target <= 100 ms]"
                )

            # As after imports from other machines: ids no longer follow the time.
            _reverse_times(store, trainee)
            progress_screen()
            med, worst, cpu = _median_ms(progress_screen, 15)
            print(
                f"Progress screen data, ids not in time order (imports): median {med:.1f} ms"
                f" (CPU {cpu:.1f} ms), max {worst:.1f} ms  [target <= 100 ms]"
            )


def _reverse_times(store: Store, trainee: int) -> None:
    with store.engine.begin() as conn:
        rows = conn.execute(
            select(Attempt.id, Attempt.started_at, Attempt.finished_at)
            .where(Attempt.trainee_id == trainee)
            .order_by(Attempt.id)
        ).all()
        times = [(r.started_at, r.finished_at) for r in reversed(rows)]
        conn.execute(
            update(Attempt)
            .where(Attempt.id == bindparam("aid"))
            .values(started_at=bindparam("s"), finished_at=bindparam("f")),
            [{"aid": r.id, "s": s, "f": f} for r, (s, f) in zip(rows, times, strict=True)],
        )


if __name__ == "__main__":
    main()

"""Speed figures for calldrill (`make bench`). Reports numbers; asserts nothing.

Targets (issue: foundation): one reply processed in <= 200 µs median;
loading + validating the bundled library <= 150 ms.
"""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

from simulator.engine import CallPlot
from simulator.scenario.errors import ScenarioError
from simulator.scenario.library import bundled_dir, load_library
from simulator.scenario.yamlsafe import read_yaml

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(fn: object, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    print(f"python {sys.version.split()[0]} · {sys.platform}")
    med, worst = _median_ms(lambda: load_library(bundled_dir()), 20)
    lib = load_library(bundled_dir())
    print(
        f"library load + validate ({len(lib.scenarios)} scenarios, {len(lib.personas)} personas):"
        f" median {med:.1f} ms, max {worst:.1f} ms  [target <= 150 ms]"
    )

    plots = [CallPlot(sc, lib.tags, lib.rubric) for sc in lib.scenarios.values()]
    reply_times: list[float] = []
    calls = 0
    turns = 0
    start_all = time.perf_counter()
    for seed in range(300):
        for plot in plots:
            call = plot.new_call(seed)
            calls += 1
            step = 0
            while not call.finished:
                n = len(call.choices)
                pick = (seed * 31 + step * 17) % n + 1
                before = time.perf_counter_ns()
                call.reply_number(pick)
                reply_times.append((time.perf_counter_ns() - before) / 1000)
                step += 1
                turns += 1
    elapsed = time.perf_counter() - start_all
    med_us = statistics.median(reply_times)
    p95 = statistics.quantiles(reply_times, n=20)[18]
    print(
        f"engine: {turns} replies, median {med_us:.0f} µs, p95 {p95:.0f} µs per reply "
        f"[target median <= 200 µs]; {turns / sum(reply_times) * 1e6:.0f} replies/s"
    )
    print(
        f"full random calls (incl. creating each call): {calls / elapsed:.0f} calls/s "
        f"({calls} calls in {elapsed:.2f} s)"
    )

    broken = sorted((ROOT / "tests" / "fixtures" / "broken").glob("*.yaml"))
    slowest = 0.0
    for path in broken:
        t0 = time.perf_counter()
        with contextlib.suppress(ScenarioError):
            read_yaml(path)
        slowest = max(slowest, time.perf_counter() - t0)
    print(f"hostile YAML ({len(broken)} broken fixtures): slowest read {slowest * 1000:.1f} ms")

    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "simulator", "validate", *map(str, broken)],
        capture_output=True,
        check=False,
    )
    print(
        f"`calldrill validate` on all broken fixtures, whole process: "
        f"{(time.perf_counter() - t0) * 1000:.0f} ms  [target < 1 s]"
    )


if __name__ == "__main__":
    main()

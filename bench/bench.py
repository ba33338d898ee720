"""Speed figures for calldrill (`make bench`). Reports numbers; asserts nothing.

Targets (issue: foundation): one reply processed in <= 200 µs median;
loading + validating the bundled library <= 150 ms. Issue 5: exhaustive exploration of every
bundled scenario in <= 2 s each.
"""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulator.engine import CallPlot
from simulator.engine.explore import explore
from simulator.scenario.errors import ScenarioError
from simulator.scenario.library import Library, bundled_dir, load_library, load_scenario
from simulator.scenario.yamlsafe import read_yaml
from simulator.scoring.debrief import debrief

ROOT = Path(__file__).resolve().parent.parent
EXPLORE_LIMIT = 20_000  # `calldrill explore`'s default --limit


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

    _bench_debrief(lib)
    _bench_explore(lib)

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


def _bench_explore(lib: Library) -> None:
    """`calldrill explore` on every bundled scenario, largest plot first (target: exhaustive,
    <= 2 s each). Wall and CPU seconds both: the machine may be shared."""
    print(
        "explore (CLI defaults): method, paths, distinct futures, replies made, wall s, CPU s, "
        "paths per second of CPU"
    )
    for sid, sc in sorted(lib.scenarios.items(), key=lambda kv: (-len(kv[1].states), kv[0])):
        plot = CallPlot(sc, lib.tags, lib.rubric)
        wall, cpu = time.perf_counter(), time.process_time()
        result = explore(plot, limit=EXPLORE_LIMIT)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"  {sid} ({len(sc.states)} states): {result.method}, {result.paths} paths, "
            f"{result.futures} futures, {result.replies_made} replies, {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU, {result.paths / max(cpu, 1e-9):.3g} paths/s"
            f"  [target exhaustive <= 2 s]"
        )


def _bench_debrief(lib: Library) -> None:
    """Debrief of a 40-turn call (target <= 5 ms median), on the largest bundled scenario
    played as long as its plot allows, then on a call that loops for 40 replies."""
    sc = max(lib.scenarios.values(), key=lambda s: len(s.states))
    plot = CallPlot(sc, lib.tags, lib.rubric)
    longest = None
    for seed in range(300):
        call = plot.new_call(seed)
        step = 0
        while not call.finished:
            call.reply_number((seed + step) % len(call.choices) + 1)
            step += 1
        if longest is None or len(call.turns) > len(longest.turns):
            longest = call
    assert longest is not None
    loop_text = LOOP_SCENARIO
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "loop40.yaml"
        path.write_text(loop_text, encoding="utf-8")
        loop_plot = CallPlot(load_scenario(path, lib.tags, lib.personas), lib.tags, lib.rubric)
    call40 = loop_plot.new_call(0)
    for i in range(40):
        call40.reply(("listen", "explain", "check")[i % 3])
    for call in (longest, call40):
        med, worst = _median_ms(lambda c=call: debrief(c, "zh", lib.scenarios.values()), 200)
        print(
            f"debrief of a {len(call.turns)}-turn call: median {med:.2f} ms, max {worst:.2f} ms"
            "  [target <= 5 ms for 40 turns]"
        )


LOOP_SCENARIO = """schema_version: 1
id: loop40
version: 1
title: {zh: 循环, en: Loop}
kind: inbound
persona: talkative
difficulty: basic
skills: [redirect]
brief: {zh: 说明, en: Brief}
goal: {zh: 目标, en: Goal}
customer: {name: {zh: 王女士, en: Ms Wang}}
concerns: [{id: main, summary: {zh: 问题, en: Problem}}]
start: a
states:
  a:
    phase: discovery
    concern: main
    line: [{zh: 第一句, en: First}]
    choices:
      - {id: listen, text: {zh: 嗯, en: I see}, tags: [acknowledge, open-question],
         feedback: {zh: 好, en: Good}, next: b}
      - {id: explain, text: {zh: 原因是, en: Because}, tags: [explain-reason],
         feedback: {zh: 好, en: Good}, next: b}
      - {id: check, text: {zh: 对吗, en: Right?}, tags: [confirm-understanding, redirect],
         feedback: {zh: 好, en: Good}, next: b}
      - {id: end, text: {zh: 再见, en: Bye}, tags: [closing], feedback: {zh: 好, en: Good},
         next: done}
  b:
    phase: resolution
    concern: main
    line: [{zh: 第二句, en: Second}]
    choices:
      - {id: listen, text: {zh: 嗯嗯, en: Go on}, tags: [acknowledge],
         feedback: {zh: 好, en: Good}, next: a}
      - {id: explain, text: {zh: 因为, en: Since}, tags: [explain-reason, jargon],
         feedback: {zh: 好, en: Good}, next: a}
      - {id: check, text: {zh: 明白吗, en: Clear?}, tags: [check-understanding, redirect],
         feedback: {zh: 好, en: Good}, next: a}
      - {id: end, text: {zh: 拜拜, en: Goodbye}, tags: [closing], feedback: {zh: 好, en: Good},
         next: done}
endings:
  done: {outcome: resolved, line: [{zh: 好, en: OK}], summary: {zh: 完, en: Done}}
  gone: {outcome: customer-hung-up, line: [{zh: 挂了, en: Bye}], summary: {zh: 挂, en: Gone}}
on_persona_event: {hang-up: gone}
"""


if __name__ == "__main__":
    main()

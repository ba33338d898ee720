"""Walk every path through a scenario with the engine itself, for authors' checks.

Every reply is made by the engine on a ``Call.fork()``, so the real rules (persona
reactions, forced endings, branch conditions) decide every step. Calls whose futures
cannot differ share one node of a graph (simulator/engine/explore_keys.py says when:
same state, and the same values of whatever a condition still reachable can test), so
millions of paths cost thousands of replies (simulator/engine/explore_graph.py).
Everything reported is then counted over every path of that graph, exactly: paths,
endings, unfinished paths, what was reached, loops that never end, the highest and the
lowest score with a path to each (simulator/engine/explore_scores.py).

Two limits: past ``limit`` distinct futures the walk gives up and plays ``samples``
seeded playthroughs instead (``method`` "sampled"); past ``score_limit`` distinct point
sums the median and the passing paths are estimated from ``samples`` paths drawn
uniformly from all of them (``method`` "exact-paths"), everything else staying exact.
``exhaustive`` is true only when every figure is exact.
"""

from __future__ import annotations

import gc
import statistics
from collections import Counter, deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from simulator.engine import rng
from simulator.engine.call import CallPlot
from simulator.engine.explore_graph import Edge, Folder, Graph, TooManyFutures
from simulator.engine.explore_keys import Keys, Unsound
from simulator.engine.explore_scores import (
    Extreme,
    Scorer,
    TooManySums,
    count_folder,
    distribution,
    draw,
    extreme,
)
from simulator.engine.turn import Turn
from simulator.scenario.model import TagDef

LOOP_STEPS = ("listen", "feedback", "confirm")
YES_TAGS = ("yes-step-1", "yes-step-2", "yes-step-3")
METHODS = ("exhaustive", "exact-paths", "sampled")


@dataclass
class Exploration:
    scenario: str
    exhaustive: bool
    paths: int = 0
    limit: int = 0
    max_depth: int = 0
    method: str = "exhaustive"
    score_limit: int = 0
    futures: int = 0  # distinct futures walked (nodes of the graph)
    score_samples: int = 0  # paths drawn to estimate the median (0: exact)
    endings: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    unfinished: int = 0
    passing: int = 0
    score_counts: Counter[float] = field(default_factory=Counter)
    best: tuple[float, tuple[str, ...], str | None] | None = None
    worst: tuple[float, tuple[str, ...], str | None] | None = None
    states_reached: set[str] = field(default_factory=set)
    choices_reached: set[str] = field(default_factory=set)
    tags_reached: set[str] = field(default_factory=set)
    reactions_fired: set[int] = field(default_factory=set)
    loop_steps: dict[str, set[str]] = field(default_factory=dict)
    full_loops: set[str] = field(default_factory=set)
    yes_rungs: set[str] = field(default_factory=set)
    endless_loops: list[tuple[str, ...]] = field(default_factory=list)
    replies_made: int = 0

    def note(self, turn: Turn, tags: Mapping[str, TagDef]) -> None:
        """Record what one reply reached: states, the choice, tags, reactions, loop steps."""
        self.replies_made += 1
        self.states_reached.update((turn.state, turn.next))
        self.choices_reached.add(f"{turn.state}.{turn.choice}")
        self.tags_reached.update(turn.tags)
        self.reactions_fired.update(c.reaction for c in turn.changes if c.reaction is not None)
        for tag in turn.tags:
            if tag in YES_TAGS:
                self.yes_rungs.add(tag)
            step = tags[tag].loop
            if step and turn.concern:
                self.loop_steps.setdefault(turn.concern, set()).add(step)

    @property
    def median(self) -> float | None:
        if not self.score_counts:
            return None
        values = sorted(self.score_counts.items())
        total = sum(n for _, n in values)
        halves: list[float] = []
        for target in sorted({(total - 1) // 2, total // 2}):
            seen = 0
            for value, n in values:
                seen += n
                if seen > target:
                    halves.append(value)
                    break
        return statistics.mean(halves)

    def as_dict(self, plot: CallPlot) -> dict[str, Any]:
        sc = plot.scenario
        all_choices = [f"{s.id}.{c.id}" for s in sc.states.values() for c in s.choices]

        def path(rec: tuple[float, tuple[str, ...], str | None] | None) -> dict[str, Any] | None:
            return (
                None
                if rec is None
                else {"score": rec[0], "replies": list(rec[1]), "ending": rec[2]}
            )

        return {
            "scenario": self.scenario,
            "exhaustive": self.exhaustive,
            "method": self.method,
            "paths": self.paths,
            "limit": self.limit,
            "score_limit": self.score_limit,
            "futures": self.futures,
            "max_depth": self.max_depth,
            "replies_made": self.replies_made,
            "endings": dict(sorted(self.endings.items())),
            "outcomes": dict(sorted(self.outcomes.items())),
            "unfinished_paths": self.unfinished,
            "passing_paths": self.passing,
            "score": {
                "min": self.worst[0] if self.worst else None,
                "max": self.best[0] if self.best else None,
                "median": self.median,
                "median_exact": self.method == "exhaustive",
                "samples": self.score_samples,
            },
            "max_path": path(self.best),
            "min_path": path(self.worst),
            "unreached_states": [s for s in sc.states if s not in self.states_reached],
            "unreached_endings": [e for e in sc.endings if e not in self.endings],
            "unreached_choices": [c for c in all_choices if c not in self.choices_reached],
            "endless_loops": [list(lp) for lp in self.endless_loops],
            "loop_steps": {
                c.id: {
                    "reachable": [s for s in LOOP_STEPS if s in self.loop_steps.get(c.id, ())],
                    "complete_loop_on_some_path": c.id in self.full_loops,
                }
                for c in sc.concerns
            },
            "three_yes": (
                {t: t in self.yes_rungs for t in YES_TAGS}
                if sc.three_yes_goal is not None
                else None
            ),
        }


def explore(
    plot: CallPlot,
    *,
    limit: int = 200_000,
    max_depth: int = 40,
    seed: int = 0,
    samples: int = 5_000,
    score_limit: int = 1_500_000,
) -> Exploration:
    """Every path while the distinct futures stay under ``limit``; beyond it, ``samples``
    seeded playthroughs (``exhaustive`` is then False and ``paths`` counts the samples).
    The median and the passing paths are exact while the distinct point sums stay under
    ``score_limit``, and estimated from ``samples`` uniformly drawn paths past it."""
    with _no_cycle_collection():
        return _explore(plot, limit, max_depth, seed, samples, score_limit)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused while the graph grows: it makes no cycles (forks are
    never in the Machine, so reference counting frees them), yet a walk allocates
    hundreds of thousands of objects beside tens of thousands it keeps, and the collector
    kept rescanning those — about 6 % of the time on the largest scenario."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _explore(
    plot: CallPlot, limit: int, max_depth: int, seed: int, samples: int, score_limit: int
) -> Exploration:
    tags = plot.tags
    for abstract in (True, False):
        result = Exploration(
            plot.scenario.id, False, limit=limit, max_depth=max_depth, score_limit=score_limit
        )
        keys = Keys(plot.scenario, max_depth, abstract=abstract)
        try:
            graph = Graph(
                plot,
                keys,
                limit=limit,
                max_depth=max_depth,
                seed=seed,
                note=partial(_note, result, tags),
            )
        except TooManyFutures:
            return _sampled(plot, limit, max_depth, seed, samples, score_limit)
        except Unsound:
            continue  # the engine moved the mood further than the plot says: exact keys
        _count(result, graph, plot, seed, samples)
        return result
    raise AssertionError("exact keys cannot be unsound")


def _note(result: Exploration, tags: Mapping[str, TagDef], turn: Turn) -> None:
    result.note(turn, tags)


def _count(result: Exploration, graph: Graph, plot: CallPlot, seed: int, samples: int) -> None:
    sc = plot.scenario
    left = graph.max_depth
    result.futures = len(graph.nodes)
    counts = count_folder(graph)
    result.paths = counts.value(graph.root, left)
    # Paths per ending, as a tuple in the scenario's order with the unfinished last:
    # tuples add up faster than Counters, once per node.
    names = list(sc.endings)
    one_hot = {e: (*(int(e == n) for n in names), 0) for e in names}
    per_ending = Folder(
        graph,
        leaf=one_hot.__getitem__,
        cut=lambda: (0,) * len(names) + (1,),
        along=lambda _e, c: c,
        merge=_sum_tuples,
    ).value(graph.root, left)
    result.unfinished = per_ending[-1]
    result.endings = Counter({e: n for e, n in zip(names, per_ending, strict=False) if n})
    for ending, n in result.endings.items():
        result.outcomes[sc.endings[ending].outcome] += n
    result.full_loops = _full_loops(graph, [c.id for c in sc.concerns])
    result.endless_loops = graph.loops()

    scorer = Scorer(sc, plot.rubric)
    hi = extreme(graph, scorer, high=True)
    lo = extreme(graph, scorer, high=False)
    result.best = _rec(hi)
    result.worst = _rec(lo)
    try:
        if result.paths > 20 * result.score_limit:
            raise TooManySums  # distinct sums are about as many as paths: hopeless
        hist = distribution(graph, scorer, result.score_limit)
    except TooManySums:
        result.method = "exact-paths"
        result.score_samples = samples
        drawn = [
            (_plus(earned, scorer.bonus(end)), offered, end, blocked)
            for earned, offered, end, blocked in draw(graph, counts, seed, samples)
        ]
        fast = all(scorer.check(*d) for d in drawn[:32])
        passed = 0
        for earned, offered, end, blocked in drawn:
            if fast:
                t = scorer.total(earned, offered, end, blocked)
                total, ok = t / 10, scorer.passes(t, end, blocked)
            else:
                s = scorer.score(earned, offered, end, blocked)
                total, ok = s.total, s.passed
            result.score_counts[total] += 1
            passed += ok
        # The share of passing paths in the sample, scaled to every path.
        result.passing = round(result.paths * passed / samples) if samples else 0
        return
    result.method = "exhaustive"
    result.exhaustive = True
    result.score_counts = Counter(hist.scores)
    result.passing = hist.passing


def _plus(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def _rec(x: Extreme) -> tuple[float, tuple[str, ...], str | None]:
    return (x.total, x.replies, x.ending)


def _sum_tuples(items: list[tuple[int, ...]]) -> tuple[int, ...]:
    if len(items) == 1:
        return items[0]
    return tuple(map(sum, zip(*items, strict=True)))


def _full_loops(graph: Graph, concerns: list[str]) -> set[str]:
    """The concerns for which some path goes listen → feedback → confirm, in order (other
    replies may come between): a breadth-first search over (node, steps done so far)."""
    found: set[str] = set()
    for concern in concerns:
        seen = {(graph.root, 0)}
        todo: deque[tuple[int, int, int]] = deque([(graph.root, 0, 0)])
        while todo and concern not in found:
            nid, level, depth = todo.popleft()
            if depth >= graph.max_depth:
                continue
            for edge in graph.nodes[nid].edges:
                nxt = _advance(level, edge) if edge.concern == concern else level
                if nxt == len(LOOP_STEPS):
                    found.add(concern)
                    break
                if (edge.child, nxt) not in seen:
                    seen.add((edge.child, nxt))
                    todo.append((edge.child, nxt, depth + 1))
    return found


def _advance(level: int, edge: Edge) -> int:
    for step in edge.steps:
        if level < len(LOOP_STEPS) and step == LOOP_STEPS[level]:
            level += 1
    return level


def _sampled(
    plot: CallPlot, limit: int, max_depth: int, seed: int, samples: int, score_limit: int
) -> Exploration:
    from simulator.scoring.rubric import score_call  # noqa: PLC0415  (scoring imports engine)

    sc = plot.scenario
    result = Exploration(
        sc.id,
        False,
        limit=limit,
        max_depth=max_depth,
        method="sampled",
        score_limit=score_limit,
        score_samples=samples,
    )
    base = plot.new_call(seed)
    base.close()  # forks of it are never added to the Machine
    for n in range(samples):
        call = base.fork()
        progress: dict[str, list[str]] = {}
        # Mix skill levels: purely random walks almost never pass, so part of the
        # samples lean towards the best reply (n % 4 sets how strongly).
        lean = (0, 50, 80, 95)[n % 4]
        while not call.finished and len(call.turns) < max_depth:
            shown = call.choices
            step = str(len(call.turns))
            if rng.pick(seed, 100, "lean", str(n), step) < lean:
                choice_id = plot.best_choice(sc.states[call.state]).id
            else:
                choice_id = shown[rng.pick(seed, len(shown), "explore", str(n), step)].id
            turn = call.reply(choice_id)
            result.note(turn, plot.tags)
            if turn.concern:
                loops = [plot.tags[tag].loop for tag in turn.tags]
                progress.setdefault(turn.concern, []).extend(x for x in loops if x)
        for concern, steps in progress.items():
            it = iter(steps)
            if all(any(s == want for s in it) for want in LOOP_STEPS):
                result.full_loops.add(concern)
        score = score_call(call)
        rep = tuple(f"{t.state}.{t.choice}" for t in call.turns)
        end = call.state if call.finished else None
        result.paths += 1
        result.score_counts[score.total] += 1
        if end is None:
            result.unfinished += 1
        else:
            result.endings[end] += 1
            if call.outcome:
                result.outcomes[call.outcome] += 1
        if score.passed:
            result.passing += 1
        if result.best is None or score.total > result.best[0]:
            result.best = (score.total, rep, end)
        if result.worst is None or score.total < result.worst[0]:
            result.worst = (score.total, rep, end)
    return result

"""Walk every path through a scenario with the engine itself, for authors' checks.

Paths are enumerated exactly, by depth-first search over replies in which each branch
is a ``Call.fork()`` of its parent, so the real rules (persona reactions, forced
endings, branch conditions) decide every step. Two calls whose futures cannot differ
(same state, mood, depth, and the same values of everything a condition can test)
share one exploration of that future: what is remembered for it is the multiset of
"suffixes" (ending, points earned and on offer, blockers), which is all the score
needs. So millions of paths cost thousands of replies. When even the distinct
suffixes grow past a limit, seeded random playthroughs are used instead and the
result says so.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.engine import rng
from simulator.engine.call import Call, CallPlot
from simulator.engine.turn import Turn
from simulator.scenario.model import (
    DIMENSIONS,
    AllCond,
    AnyCond,
    ChoseCond,
    Condition,
    EventCond,
    NotCond,
    TagDef,
    TagUsedCond,
    TurnCond,
)
from simulator.scoring.rubric import score_sums

LOOP_STEPS = ("listen", "feedback", "confirm")
YES_TAGS = ("yes-step-1", "yes-step-2", "yes-step-3")

Vec = tuple[int, int, int, int]
ZERO: Vec = (0, 0, 0, 0)
# A suffix: (ending or None when cut at max depth, earned, on offer, blockers).
Suffix = tuple[str | None, Vec, Vec, frozenset[str]]


class TooManyPaths(Exception):
    """The distinct futures outgrew the limit: fall back to sampling."""


@dataclass
class Exploration:
    scenario: str
    exhaustive: bool
    paths: int = 0
    limit: int = 0
    max_depth: int = 0
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
        scores = list(self.score_counts)

        def path(rec: tuple[float, tuple[str, ...], str | None] | None) -> dict[str, Any] | None:
            return (
                None
                if rec is None
                else {"score": rec[0], "replies": list(rec[1]), "ending": rec[2]}
            )

        return {
            "scenario": self.scenario,
            "exhaustive": self.exhaustive,
            "paths": self.paths,
            "limit": self.limit,
            "max_depth": self.max_depth,
            "replies_made": self.replies_made,
            "endings": dict(sorted(self.endings.items())),
            "outcomes": dict(sorted(self.outcomes.items())),
            "unfinished_paths": self.unfinished,
            "passing_paths": self.passing,
            "score": {
                "min": min(scores) if scores else None,
                "max": max(scores) if scores else None,
                "median": self.median,
            },
            "max_path": path(self.best),
            "min_path": path(self.worst),
            "unreached_states": [s for s in sc.states if s not in self.states_reached],
            "unreached_endings": [e for e in sc.endings if e not in self.endings],
            "unreached_choices": [c for c in all_choices if c not in self.choices_reached],
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


def _walk_conditions(conds: Iterable[Condition | None]) -> Iterable[Condition]:
    todo = [c for c in conds if c is not None]
    while todo:
        cond = todo.pop()
        yield cond
        if isinstance(cond, AllCond | AnyCond):
            todo.extend(cond.items)
        elif isinstance(cond, NotCond):
            todo.append(cond.item)


class _Keyer:
    """What two calls must share for their futures to be the same."""

    def __init__(self, plot: CallPlot) -> None:
        sc = plot.scenario
        conds: list[Condition | None] = [
            b.when for s in sc.states.values() for c in s.choices for b in c.branches
        ]
        conds += [r.when for r in sc.persona.reactions]
        conds += [t.when for t in sc.persona.thresholds]
        self.events: set[str] = set()
        self.chosen: set[str] = set()
        self.tag_caps: dict[str, int] = {}
        self.turns = False
        for cond in _walk_conditions(conds):
            if isinstance(cond, EventCond):
                self.events.add(cond.event)
            elif isinstance(cond, ChoseCond):
                self.chosen.add(f"{cond.state}.{cond.choice}" if cond.state else cond.choice)
            elif isinstance(cond, TagUsedCond):
                self.tag_caps[cond.tag] = max(self.tag_caps.get(cond.tag, 0), cond.at_least)
            elif isinstance(cond, TurnCond):
                self.turns = True
        self.concerns = [c.id for c in sc.concerns]
        self.interjections = sc.persona.interjections
        self.vars = list(sc.persona.mood)

    def key(self, call: Call, progress: tuple[int, ...]) -> tuple[object, ...]:
        h = call.history
        n = len(call.turns)
        quiet = tuple(min(i.every, n - call._quiet_since[i.id]) for i in self.interjections)
        return (
            call.state,
            n,
            tuple(h.mood[v] for v in self.vars),
            frozenset(h.events & self.events),
            frozenset(h.chosen & self.chosen),
            tuple(min(h.tags[t], cap) for t, cap in self.tag_caps.items()),
            quiet,
            progress,
        )


def explore(
    plot: CallPlot,
    *,
    limit: int = 200_000,
    max_depth: int = 40,
    seed: int = 0,
    samples: int = 5_000,
) -> Exploration:
    """Every path while the distinct futures stay under ``limit``; beyond it, ``samples``
    seeded playthroughs (``exhaustive`` is then False and ``paths`` counts the samples)."""
    try:
        return _exhaustive(plot, limit, max_depth, seed)
    except TooManyPaths:
        return _sampled(plot, limit, max_depth, seed, samples)


def _vec(values: Iterable[int]) -> Vec:
    a, b, c, d = values
    return (a, b, c, d)


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def _exhaustive(plot: CallPlot, limit: int, max_depth: int, seed: int) -> Exploration:
    sc = plot.scenario
    tags = plot.tags
    keyer = _Keyer(plot)
    result = Exploration(sc.id, True, limit=limit, max_depth=max_depth)
    memo: dict[tuple[object, ...], dict[Suffix, tuple[int, tuple[str, ...]]]] = {}
    stored = 0
    concern_index = {c: i for i, c in enumerate(keyer.concerns)}

    def advance(
        progress: tuple[int, ...], concern: str | None, turn_tags: Iterable[str]
    ) -> tuple[int, ...]:
        if concern is None or concern not in concern_index:
            return progress
        i = concern_index[concern]
        level = progress[i]
        for tag in turn_tags:
            step = tags[tag].loop
            if level < 3 and step == LOOP_STEPS[level]:
                level += 1
        if level == 3:
            result.full_loops.add(concern)
        return (*progress[:i], level, *progress[i + 1 :])

    def suffixes(
        call: Call, progress: tuple[int, ...]
    ) -> dict[Suffix, tuple[int, tuple[str, ...]]]:
        nonlocal stored
        key = keyer.key(call, progress)
        found = memo.get(key)
        if found is not None:
            return found
        out: dict[Suffix, tuple[int, tuple[str, ...]]] = {}
        if call.finished:
            ending = sc.endings[call.state]
            bonus = _vec(ending.points.get(d, 0) for d in DIMENSIONS)
            out[(call.state, bonus, ZERO, frozenset())] = (1, ())
        elif len(call.turns) >= max_depth:
            out[(None, ZERO, ZERO, frozenset())] = (1, ())
        else:
            state = sc.states[call.state]
            for choice in state.choices:
                child = call.fork()
                turn = child.reply(choice.id)
                result.note(turn, tags)
                label = f"{state.id}.{choice.id}"
                gained = _vec(turn.points[d] for d in DIMENSIONS)
                offered = _vec(max(turn.available[d], 0) for d in DIMENSIONS)
                blocked = frozenset(t for t in turn.tags if tags[t].blocker)
                child_progress = advance(progress, turn.concern, turn.tags)
                for (end, e, a, b), (count, rep) in suffixes(child, child_progress).items():
                    suffix = (end, _add(gained, e), _add(offered, a), b | blocked)
                    if suffix in out:
                        out[suffix] = (out[suffix][0] + count, out[suffix][1])
                    else:
                        out[suffix] = (count, (label, *rep))
        stored += len(out)
        if stored > limit:
            raise TooManyPaths
        memo[key] = out
        return out

    base = plot.new_call(seed)
    root = base.fork()
    base.close()
    root_suffixes = suffixes(root, tuple(0 for _ in keyer.concerns))
    for (end, earned, offered, blocked), (count, rep) in root_suffixes.items():
        outcome = sc.endings[end].outcome if end else None
        score = score_sums(
            dict(zip(DIMENSIONS, earned, strict=True)),
            dict(zip(DIMENSIONS, offered, strict=True)),
            outcome,
            blocked,
            plot.rubric,
            sc.pass_mark,
            finished=end is not None,
        )
        _tally(result, score.total, score.passed, count, rep, end, outcome)
    return result


def _tally(
    result: Exploration,
    total: float,
    passed: bool,
    count: int,
    rep: tuple[str, ...],
    end: str | None,
    outcome: str | None,
) -> None:
    result.paths += count
    result.score_counts[total] += count
    if end is None:
        result.unfinished += count
    else:
        result.endings[end] += count
        if outcome:
            result.outcomes[outcome] += count
    if passed:
        result.passing += count
    if result.best is None or total > result.best[0]:
        result.best = (total, rep, end)
    if result.worst is None or total < result.worst[0]:
        result.worst = (total, rep, end)


def _sampled(plot: CallPlot, limit: int, max_depth: int, seed: int, samples: int) -> Exploration:
    from simulator.scoring.rubric import score_call  # noqa: PLC0415  (scoring imports engine)

    sc = plot.scenario
    result = Exploration(sc.id, False, limit=limit, max_depth=max_depth)
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
        _tally(
            result,
            score.total,
            score.passed,
            1,
            rep,
            call.state if call.finished else None,
            call.outcome,
        )
    return result

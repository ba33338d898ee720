"""The compiled form of a condition answers exactly as ``holds`` does."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

from simulator.engine.conditions import History, compiled, copy_counter, holds
from simulator.engine.explore_keys import walk
from simulator.scenario.library import load_library
from simulator.scenario.model import (
    AllCond,
    AnyCond,
    ChoseCond,
    Condition,
    EventCond,
    MoodCond,
    NotCond,
    TagUsedCond,
    TurnCond,
    VisitedCond,
)
from simulator.scenario.paths import bundled_dir

VARS = ("anger", "trust")
NAMES = ("a", "b", "c")


def _leaf(rnd: random.Random) -> Condition:
    lo = rnd.choice([None, rnd.randint(0, 100)])
    hi = rnd.choice([None, rnd.randint(0, 100)]) if lo is not None else rnd.randint(0, 100)
    options: list[Condition] = [
        MoodCond(rnd.choice(VARS), lo, hi),
        EventCond(rnd.choice(NAMES)),
        ChoseCond(rnd.choice(NAMES), rnd.choice([None, "s"])),
        TagUsedCond(rnd.choice(NAMES), rnd.randint(1, 3)),
        VisitedCond(rnd.choice(NAMES), rnd.randint(1, 3)),
        TurnCond(lo if lo is None else lo // 10, hi if hi is None else hi // 10),
    ]
    return rnd.choice(options)


def _cond(rnd: random.Random, depth: int = 0) -> Condition:
    if depth >= 3 or rnd.random() < 0.4:
        return _leaf(rnd)
    kind = rnd.choice(["all", "any", "not"])
    if kind == "not":
        return NotCond(_cond(rnd, depth + 1))
    items = tuple(_cond(rnd, depth + 1) for _ in range(rnd.randint(1, 3)))
    return AllCond(items) if kind == "all" else AnyCond(items)


def _history(rnd: random.Random) -> History:
    def some() -> set[str]:
        return {n for n in NAMES if rnd.random() < 0.5}

    return History(
        mood={v: rnd.randint(0, 100) for v in VARS},
        turn=rnd.randint(0, 12),
        events=some(),
        chosen=some() | {f"s.{n}" for n in some()},
        tags=Counter({n: rnd.randint(0, 3) for n in NAMES}),
        visits=Counter({n: rnd.randint(0, 3) for n in NAMES}),
    )


def _library_conditions() -> Iterator[Condition]:
    lib = load_library(bundled_dir())
    for sc in lib.scenarios.values():
        persona = sc.persona
        yield from walk(
            [b.when for s in sc.states.values() for c in s.choices for b in c.branches]
            + [r.when for r in persona.reactions]
            + [t.when for t in persona.thresholds]
        )


def test_compiled_conditions_answer_as_holds_on_random_histories() -> None:
    rnd = random.Random(7)
    conds = [_cond(rnd) for _ in range(400)]
    histories = [_history(rnd) for _ in range(60)]
    answers: Counter[bool] = Counter()
    for cond in conds:
        test = compiled(cond)
        for h in histories:
            want = holds(cond, h)
            assert test(h) is want, cond
            answers[want] += 1
    assert answers[True] > 1000 and answers[False] > 1000  # both answers were tried


def test_compiled_conditions_of_the_bundled_library_answer_as_holds() -> None:
    rnd = random.Random(11)
    histories = [_history(rnd) for _ in range(40)]
    conds = list(_library_conditions())
    assert len(conds) > 50
    for cond in conds:
        test = compiled(cond)
        for h in histories:
            h.mood = {v: rnd.randint(0, 100) for v in ("anger", "trust", "patience", "confusion")}
            h.mood |= dict.fromkeys(_mood_vars(cond), rnd.randint(0, 100))
            assert test(h) is holds(cond, h), cond


def _mood_vars(cond: Condition) -> set[str]:
    return {c.var for c in walk([cond]) if isinstance(c, MoodCond)}


def test_a_copied_counter_is_an_independent_counter() -> None:
    counts = Counter({"a": 2})
    twin = copy_counter(counts)
    twin["a"] += 1
    twin["b"] += 1
    assert isinstance(twin, Counter)
    assert counts == Counter({"a": 2}) and twin == Counter({"a": 3, "b": 1})
    assert twin["missing"] == 0

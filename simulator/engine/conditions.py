"""Evaluate data conditions against what has happened in a call so far."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

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


@dataclass(slots=True)
class History:
    """The facts conditions can test; updated by the Call after each reply."""

    mood: dict[str, int]
    turn: int = 0  # replies made so far
    events: set[str] = field(default_factory=set)
    chosen: set[str] = field(default_factory=set)  # "choice" and "state.choice"
    tags: Counter[str] = field(default_factory=Counter)
    visits: Counter[str] = field(default_factory=Counter)  # entries per state, this one too


def _in_range(value: int, lo: int | None, hi: int | None) -> bool:
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def holds(cond: Condition, h: History, mood: Mapping[str, int] | None = None) -> bool:
    m = h.mood if mood is None else mood
    match cond:
        case MoodCond(var, lo, hi):
            return _in_range(m[var], lo, hi)
        case EventCond(event):
            return event in h.events
        case ChoseCond(choice, state):
            return (f"{state}.{choice}" if state else choice) in h.chosen
        case TagUsedCond(tag, at_least):
            return h.tags[tag] >= at_least
        case VisitedCond(state, at_least):
            return h.visits[state] >= at_least
        case TurnCond(lo, hi):
            return _in_range(h.turn, lo, hi)
        case AllCond(items):
            return all(holds(c, h, m) for c in items)
        case AnyCond(items):
            return any(holds(c, h, m) for c in items)
        case NotCond(item):
            return not holds(item, h, m)
    raise TypeError(f"not a condition: {cond!r}")


Predicate = Callable[[History], bool]


@cache
def compiled(cond: Condition) -> Predicate:
    """``holds(cond, h)`` as one closure, built once per condition: exploration tests the
    same conditions hundreds of thousands of times, and matching the condition's kind on
    every test cost more than the test itself."""
    match cond:
        case MoodCond(var, lo, hi):
            if hi is None and lo is not None:
                least: int = lo
                return lambda h: h.mood[var] >= least
            if lo is None and hi is not None:
                most: int = hi
                return lambda h: h.mood[var] <= most
            return lambda h: _in_range(h.mood[var], lo, hi)
        case EventCond(event):
            return lambda h: event in h.events
        case ChoseCond(choice, state):
            said = f"{state}.{choice}" if state else choice
            return lambda h: said in h.chosen
        case TagUsedCond(tag, at_least):
            return lambda h: h.tags[tag] >= at_least
        case VisitedCond(state, at_least):
            return lambda h: h.visits[state] >= at_least
        case TurnCond(lo, hi):
            return lambda h: _in_range(h.turn, lo, hi)
        case AllCond(items):
            every = tuple(compiled(c) for c in items)

            def all_hold(h: History) -> bool:
                return all(p(h) for p in every)

            return all_hold
        case AnyCond(items):
            some = tuple(compiled(c) for c in items)

            def any_holds(h: History) -> bool:
                return any(p(h) for p in some)

            return any_holds
        case NotCond(item):
            inner = compiled(item)
            return lambda h: not inner(h)
    raise TypeError(f"not a condition: {cond!r}")


def copy_counter(counts: Counter[str]) -> Counter[str]:
    """A copy of ``counts``, several times faster than ``Counter(counts)``, which checks
    what it was given before copying (a fork copies two counters per reply explored)."""
    new: Counter[str] = Counter.__new__(Counter)
    dict.update(new, counts)
    return new

"""Evaluate data conditions against what has happened in a call so far."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

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

"""What of a call can still change the rest of it: the key two calls must share to have
the same future, for path exploration (simulator/engine/explore.py).

A key holds the state and, of everything a condition can test, only what a condition
still reachable from that state tests: the events, choices and tags it names (tag counts
capped at the largest ``at_least`` asked), the visits of the states it names (capped
likewise), the turn number when a turn condition remains,
and the interjection counters. A mood variable is kept exactly only while it could still
decide something: from each state we know (from the plot, per reply) how far the
variable can rise and fall at most before the call ends; when that whole range lies
between two of the thresholds still tested on it, every remaining test gives the same
answer for every value in it, and the key keeps only which two thresholds it lies
between. The same holds for reporting: while a persona reaction that moves a variable has
not been seen to change the mood on any walk, the variable's limits count as thresholds,
so a reaction that fires only when the variable is not already at its limit is not
missed.

The bounds come from the scenario's data (reaction, choice and interjection effects);
``check`` compares every reply the engine makes with them and raises ``Unsound`` when
the engine moved a variable further than they allow, so a change in the engine's rules
can never silently merge futures that differ.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from simulator.engine.call import Call
from simulator.engine.turn import Turn
from simulator.scenario.model import (
    AllCond,
    AnyCond,
    ChoseCond,
    Condition,
    EventCond,
    MoodCond,
    NotCond,
    Scenario,
    TagUsedCond,
    TurnCond,
    VisitedCond,
)

Key = tuple[object, ...]
# A value kept only as the two thresholds it lies between (None: no threshold that side).
Region = tuple[int | None, int | None]


class Unsound(Exception):
    """A reply moved the mood further than the plot allows: keys must be exact."""


class Opaque(Exception):
    """A condition of a kind the keys do not know: every fact must be kept."""


def walk(conds: Iterable[Condition | None]) -> Iterator[Condition]:
    """Every condition and sub-condition; raises ``Opaque`` on an unknown kind."""
    todo = [c for c in conds if c is not None]
    while todo:
        cond = todo.pop()
        if isinstance(cond, AllCond | AnyCond):
            todo.extend(cond.items)
        elif isinstance(cond, NotCond):
            todo.append(cond.item)
        elif not isinstance(
            cond, MoodCond | EventCond | ChoseCond | TagUsedCond | VisitedCond | TurnCond
        ):
            raise Opaque(type(cond).__name__)
        yield cond


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the conditions reachable from one state can test."""

    events: frozenset[str]
    chosen: frozenset[str]
    tag_caps: tuple[tuple[str, int], ...]
    visit_caps: tuple[tuple[str, int], ...]
    turn_cap: int | None
    # Per mood variable: the sorted values v where some test flips between v-1 and v.
    thresholds: Mapping[str, tuple[int, ...]]
    # The persona reactions a reply from here can trigger: (index, variable, delta).
    reactions: tuple[tuple[int, str, int], ...]


def _facts(
    conds: Iterable[Condition | None],
    reactions: tuple[tuple[int, str, int], ...],
    variables: Iterable[str],
) -> _Facts:
    events: set[str] = set()
    chosen: set[str] = set()
    caps: dict[str, int] = {}
    visit_caps: dict[str, int] = {}
    turn_cap: int | None = None
    flips: dict[str, set[int]] = {v: set() for v in variables}
    for cond in walk(conds):
        if isinstance(cond, EventCond):
            events.add(cond.event)
        elif isinstance(cond, ChoseCond):
            chosen.add(f"{cond.state}.{cond.choice}" if cond.state else cond.choice)
        elif isinstance(cond, TagUsedCond):
            caps[cond.tag] = max(caps.get(cond.tag, 0), cond.at_least)
        elif isinstance(cond, VisitedCond):
            visit_caps[cond.state] = max(visit_caps.get(cond.state, 0), cond.at_least)
        elif isinstance(cond, TurnCond):
            # Past the largest bound every turn test answers as it will for the rest.
            ends = (cond.at_least, None if cond.at_most is None else cond.at_most + 1)
            turn_cap = max([turn_cap or 0, *(b for b in ends if b is not None)])
        elif isinstance(cond, MoodCond):
            if cond.at_least is not None:
                flips[cond.var].add(cond.at_least)
            if cond.at_most is not None:
                flips[cond.var].add(cond.at_most + 1)
    return _Facts(
        frozenset(events),
        frozenset(chosen),
        tuple(sorted(caps.items())),
        tuple(sorted(visit_caps.items())),
        turn_cap,
        {v: tuple(sorted(s)) for v, s in flips.items()},
        reactions,
    )


class Keys:
    """Canonical keys for the calls of one scenario (see the module docstring)."""

    def __init__(self, scenario: Scenario, max_depth: int, *, abstract: bool = True) -> None:
        sc = self.scenario = scenario
        persona = sc.persona
        self.variables = tuple(persona.mood)
        self.limits = {v: (m.min, m.max) for v, m in persona.mood.items()}
        self.interjections = tuple(i for i in persona.interjections if i.mood)
        forced = set(sc.on_persona_event.values())
        thresholds = [t.when for t in persona.thresholds if t.event in sc.on_persona_event]
        nexts = {
            (s.id, c.id): {b.next for b in c.branches} | forced
            for s in sc.states.values()
            for c in s.choices
        }
        reach: dict[str, set[str]] = {}
        for sid in sc.states:
            seen, todo = {sid}, [sid]
            while todo:
                here = todo.pop()
                for c in sc.states[here].choices:
                    for nxt in nexts[(here, c.id)]:
                        if nxt in sc.states and nxt not in seen:
                            seen.add(nxt)
                            todo.append(nxt)
            reach[sid] = seen
        self.opaque = False
        self.facts: dict[str, _Facts] = {}
        try:
            for sid, reachable in reach.items():
                states = [sc.states[s] for s in reachable]
                tags = {t for s in states for c in s.choices for t in c.tags}
                conds: list[Condition | None] = [
                    b.when for s in states for c in s.choices for b in c.branches
                ]
                conds += [r.when for r in persona.reactions if r.tag in tags]
                conds += thresholds
                moves = tuple(
                    (i, var, delta)
                    for i, r in enumerate(persona.reactions)
                    if r.tag in tags
                    for var, delta in r.mood.items()
                    if delta
                )
                self.facts[sid] = _facts(conds, moves, self.variables)
        except Opaque:
            self.opaque = True
        self.abstract = abstract and not self.opaque
        # How far one reply can move each variable, up and down (clamping only shrinks it).
        self.step: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
        for s in sc.states.values():
            for c in s.choices:
                self.step[(s.id, c.id)] = {
                    v: (
                        self._reply_move(c.mood, c.tags, v, 1),
                        self._reply_move(c.mood, c.tags, v, -1),
                    )
                    for v in self.variables
                }
        # The thresholds the tests of one reply can look at: its branches, the reactions to
        # its tags, the persona's thresholds.
        self.reply_flips: dict[tuple[str, str], Mapping[str, tuple[int, ...]]] = {}
        if not self.opaque:
            for s in sc.states.values():
                for c in s.choices:
                    conds = [b.when for b in c.branches]
                    conds += [r.when for r in persona.reactions if r.tag in c.tags]
                    self.reply_flips[(s.id, c.id)] = _facts(
                        [*conds, *thresholds], (), self.variables
                    ).thresholds
        # How far the rest of the call (at most max_depth replies) can move each variable.
        self.rise: dict[str, dict[str, int]] = {}
        self.fall: dict[str, dict[str, int]] = {}
        for sign, out in ((0, self.rise), (1, self.fall)):
            cur = {sid: dict.fromkeys(self.variables, 0) for sid in sc.states}
            for _ in range(max_depth):
                new = {
                    s.id: {
                        v: max(
                            self.step[(s.id, c.id)][v][sign]
                            + max([0, *(cur[n][v] for n in nexts[(s.id, c.id)] if n in sc.states)])
                            for c in s.choices
                        )
                        for v in self.variables
                    }
                    for s in sc.states.values()
                }
                if new == cur:
                    break
                cur = new
            out.update(cur)
        self._report_cache: dict[tuple[str, int], dict[str, tuple[int, ...]]] = {}

    def _reply_move(
        self, mood: Mapping[str, int], tags: tuple[str, ...], var: str, sign: int
    ) -> int:
        persona = self.scenario.persona
        total = max(0, sign * mood.get(var, 0))
        for tag in tags:
            total += max(
                [0, *(sign * r.mood.get(var, 0) for r in persona.reactions if r.tag == tag)]
            )
        total += sum(max(0, sign * i.mood.get(var, 0)) for i in persona.interjections)
        return total

    def check(self, state: str, choice: str, turn: Turn) -> None:
        """Raise ``Unsound`` if this reply moved a variable beyond the plot's bounds."""
        if not self.abstract:
            return
        step = self.step[(state, choice)]
        for var in self.variables:
            moved = turn.mood_after[var] - turn.mood_before[var]
            up, down = step[var]
            if moved > up or -moved > down:
                raise Unsound(f"{state}.{choice} moved {var} by {moved}")

    def _thresholds(self, state: str, fired: set[int]) -> dict[str, tuple[int, ...]]:
        """The thresholds that matter from ``state``: the tests', and a variable's limits
        while a reaction that moves it has not yet been seen to."""
        cached = self._report_cache.get((state, len(fired)))
        if cached is not None:
            return cached
        facts = self.facts[state]
        out = {v: set(facts.thresholds[v]) for v in self.variables}
        for index, var, delta in facts.reactions:
            if index not in fired:
                lo, hi = self.limits[var]
                out[var].add(hi if delta > 0 else lo + 1)
        done = {v: tuple(sorted(s)) for v, s in out.items()}
        self._report_cache[(state, len(fired))] = done
        return done

    def key(self, call: Call, fired: set[int]) -> Canon:
        """The key of ``call``'s future; ``fired`` holds the reactions seen to move the mood
        so far (it only grows, so older keys stay valid: a region is named by its ends)."""
        state = call.state
        if call.finished:
            return Canon((state,), (state,), (None,) * len(self.variables))
        h = call.history
        n = len(call.turns)
        counters = tuple(min(i.every - 1, n - call._quiet_since[i.id]) for i in self.interjections)
        exact_mood = tuple(h.mood[v] for v in self.variables)
        if not self.abstract:
            if self.opaque:
                key: Key = (
                    state,
                    n,
                    exact_mood,
                    frozenset(h.events),
                    frozenset(h.chosen),
                    frozenset(h.tags.items()),
                    frozenset(h.visits.items()),
                    counters,
                )
            else:
                facts = self.facts[state]
                key = (
                    state,
                    None if facts.turn_cap is None else min(n, facts.turn_cap),
                    exact_mood,
                    facts.events & h.events,
                    facts.chosen & h.chosen,
                    tuple(min(h.tags[t], cap) for t, cap in facts.tag_caps),
                    tuple(min(h.visits[s], cap) for s, cap in facts.visit_caps),
                    counters,
                )
            return Canon(key, key, (None,) * len(self.variables))
        facts = self.facts[state]
        thresholds = self._thresholds(state, fired)
        rise, fall = self.rise[state], self.fall[state]
        mood: list[int | Region] = []
        spans: list[tuple[int, int] | None] = []
        exact: set[str] = set()
        for var in self.variables:
            x = h.mood[var]
            lo, hi = self.limits[var]
            flips = thresholds[var]
            low, high = max(lo, x - fall[var]), min(hi, x + rise[var])
            j = bisect.bisect_right(flips, low)
            if j < len(flips) and flips[j] <= high:
                mood.append(x)
                spans.append(None)
                exact.add(var)
                continue
            below = flips[j - 1] if j else None
            above = flips[j] if j < len(flips) else None
            mood.append((below, above))
            # Every value whose whole range stays between the same two thresholds.
            spans.append(
                (
                    lo if below is None or below <= lo else below + fall[var],
                    hi if above is None or above > hi else above - 1 - rise[var],
                )
            )
        kept = tuple(
            c if any(v in exact for v in i.mood) else None
            for c, i in zip(counters, self.interjections, strict=True)
        )
        rest = (
            facts.events & h.events,
            facts.chosen & h.chosen,
            tuple(min(h.tags[t], cap) for t, cap in facts.tag_caps),
            tuple(min(h.visits[s], cap) for s, cap in facts.visit_caps),
            kept,
        )
        turn = None if facts.turn_cap is None else min(n, facts.turn_cap)
        return Canon(
            (state, turn, tuple(mood), *rest),
            (state, turn, tuple(None if isinstance(m, int) else m for m in mood), *rest),
            tuple(spans),
        )

    def reply_span(
        self,
        state: str,
        choice: str,
        turn: Turn,
        child: Sequence[tuple[int, int] | None],
    ) -> list[tuple[int, int]]:
        """Per variable, the starting values for which this reply goes exactly as it went
        (every test it makes answers the same) and lands in ``child`` (the next call's
        spans; None: only its exact value)."""
        out: list[tuple[int, int]] = []
        flips = self.reply_flips[(state, choice)]
        for vi, var in enumerate(self.variables):
            lo, hi = self.limits[var]
            x = turn.mood_before[var]
            # The value after each change the engine made, in order: the tests of this
            # reply saw some of these.
            seen = [x]
            for change in turn.changes:
                if change.var == var:
                    seen.append(seen[-1] + change.delta)
            if seen[-1] != turn.mood_after[var]:
                raise Unsound(f"{state}.{choice}: the changes to {var} do not add up")
            low, high = lo, hi
            touched = False
            for value in seen:
                if value in (lo, hi):
                    # At a limit the engine may have clamped a change: from here on every
                    # start on the far side of x gives the same values (clamping is monotone).
                    if value == lo:
                        high = min(high, x)
                    else:
                        low = max(low, x)
                    touched = True
                    break
                cell_lo, cell_hi = _cell(flips[var], value, lo, hi)
                low, high = max(low, cell_lo - (value - x)), min(high, cell_hi - (value - x))
            if not touched:
                moved = seen[-1] - x
                span = child[vi]
                c_lo, c_hi = span if span is not None else (seen[-1], seen[-1])
                low, high = max(low, c_lo - moved), min(high, c_hi - moved)
            if not low <= x <= high:
                raise Unsound(f"{state}.{choice}: {var}={x} outside its own span")
            out.append((low, high))
        return out


def _cell(flips: tuple[int, ...], value: int, lo: int, hi: int) -> tuple[int, int]:
    """The values on the same side as ``value`` of every threshold."""
    j = bisect.bisect_right(flips, value)
    return (flips[j - 1] if j else lo, flips[j] - 1 if j < len(flips) else hi)


@dataclass(frozen=True, slots=True)
class Canon:
    """A call's key; ``partial`` leaves out the variables kept exactly, ``spans`` gives
    per variable the values its region stands for (None: kept exactly)."""

    key: Key
    partial: Key
    spans: tuple[tuple[int, int] | None, ...]

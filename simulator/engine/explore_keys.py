"""What of a call can still change the rest of it: the key two calls must share to have
the same future, for path exploration (simulator/engine/explore.py).

The plot is first unrolled into plot nodes: a state together with the visit counts
(capped at the largest ``at_least`` asked) of the states its remaining ``visited``
conditions name. The counts decide those conditions, so a plot node knows which branches
each reply can still take; a test matters only where the branches it chooses between lead
to different places, and a loop that a ``visited`` condition ends is not a loop among
plot nodes. Plot nodes that cannot be told apart (the same state, tests and bounds, the
same branches decided the same way, leading to alike nodes) form one class.

A key holds the state, the class of its plot node and, of everything a condition can
test, only what a condition that still matters after that node tests: the events,
choices and tags it names (tag counts capped at the largest ``at_least`` asked), the turn
number when a turn condition remains, and the interjection counters. A mood variable is
kept exactly only while it could still decide something: from each plot node we know
(from the plot, per reply) how far the variable can rise and fall at most before the
call ends; when that whole range lies between two of the thresholds still tested on it,
every remaining test gives the same answer for every value in it, and the key keeps only
which two thresholds it lies between. The same holds for reporting: while a persona
reaction that moves a variable has not been seen to change the mood on any walk, the
variable's limits count as thresholds, so a reaction that fires only when the variable
is not already at its limit is not missed.

The bounds come from the scenario's data (reaction, choice and interjection effects);
``check`` compares every reply the engine makes with them and raises ``Unsound`` when
the engine moved a variable further than they allow, or went to a state (or counted a
visit) other than the plot nodes say it can, so a change in the engine's rules can never
silently merge futures that differ.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from simulator.engine.call import Call
from simulator.engine.conditions import History, holds
from simulator.engine.turn import MoodChange, Turn
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
# Plot nodes (state, visit counts) past which the bounds leave the visit counts out.
_NODE_LIMIT = 20_000
# A value kept only as the two thresholds it lies between (None: no threshold that side).
Region = tuple[int | None, int | None]


class Unsound(Exception):
    """A reply moved the mood further than the plot allows: keys must be exact."""


class _TooManyNodes(Exception):
    """More (state, visit counts) combinations than the bounds are worth."""


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


_NO_FACTS = _Facts(frozenset(), frozenset(), (), (), None, {}, ())


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
        self.max_depth = max_depth
        self._forced = sorted(forced)
        self._thresholds_conds = thresholds
        self._forcing = [
            (t.event, t.when) for t in persona.thresholds if t.event in sc.on_persona_event
        ]
        self._witness_flips: dict[tuple[str, str, int], Mapping[str, tuple[int, ...]]] = {}
        self._asked_memo: dict[tuple[str, str, str, int | None, str], int | None] = {}
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
        self._steps = {
            at: tuple((v, up, down) for v, (up, down) in moves.items())
            for at, moves in self.step.items()
        }
        self._choice_mood = {(s.id, c.id): c.mood for s in sc.states.values() for c in s.choices}
        # The conditions of the reactions one reply's tags can trigger.
        self._reaction_conds = {
            (s.id, c.id): tuple(r.when for r in persona.reactions if r.tag in c.tags)
            for s in sc.states.values()
            for c in s.choices
        }
        # Of a reply's tests, only the reactions' see the values a variable passes through
        # as its changes are made (each tag's, after the changes of the tags before it);
        # the branches and the persona's thresholds see only where the reply leaves it.
        self.passing_flips: dict[tuple[str, str], Mapping[str, tuple[int, ...]]] = {}
        # A reply that a persona threshold ended (a forced event) tests no branch.
        self.forced_flips: dict[tuple[str, str], Mapping[str, tuple[int, ...]]] = {}
        if not self.opaque:
            for at, whens in self._reaction_conds.items():
                self.passing_flips[at] = _facts(whens, (), self.variables).thresholds
                self.forced_flips[at] = _facts([*whens, *thresholds], (), self.variables).thresholds
        # Plot nodes: a state with the visit counts (capped) that its remaining `visited`
        # conditions test. Those conditions are decided by the counts, so a plot node knows
        # which branches a reply can still take, which tests can still change where a call
        # goes, and how far the mood can still move: a loop closed by `visited` no longer
        # counts as going round for ever in the bounds.
        self.track = True
        self._reset_nodes()
        self._report_cache: dict[tuple[int, int], dict[str, tuple[int, ...]]] = {}
        self._settled_memo: dict[tuple[object, ...], tuple[object, tuple[int | None, ...]]] = {}
        self._settled_ids: dict[tuple[Condition | bool, ...], int] = {}
        self._cond_order: dict[frozenset[Condition], tuple[Condition, ...]] = {}
        self._plans: dict[tuple[int, int], list[tuple[str, int, int, tuple[int, ...], int, int]]]
        self._plans = {}
        if self.opaque:
            return
        try:
            self._grow(self._start_node())
        except _TooManyNodes:
            self.track = False  # too many combinations: bound as if no visit count were known
            self._reset_nodes()
            self._grow(self._start_node())
        self._classify()

    def _reset_nodes(self) -> None:
        self.node_ids: dict[tuple[str, tuple[int, ...]], int] = {}
        self.node_key: list[tuple[str, tuple[int, ...]]] = []
        # Per plot node and choice: the states and endings the reply can lead to, each
        # with the plot node it enters (None for an ending).
        self.node_next: list[dict[str, dict[str, int | None]]] = []
        self.node_facts: list[_Facts] = []
        # How far the rest of the call (at most max_depth replies) can move each variable.
        self.rise: list[dict[str, int]] = []
        self.fall: list[dict[str, int]] = []
        # The thresholds the tests of one reply can look at: the branches that can still
        # send it to different places, the reactions to its tags, the persona's thresholds.
        self.reply_flips: list[dict[str, Mapping[str, tuple[int, ...]]]] = []
        # Per node and choice: each branch's next and how the visit counts answer the
        # `visited` tests in its condition.
        self._branch_sig: list[dict[str, tuple[object, ...]]] = []
        self.node_class: list[int] = []
        # Every condition a call at the node, or after it, can still have tested.
        self.node_conds: list[frozenset[Condition]] = []
        self._facts_memo: dict[frozenset[Condition], _Facts] = {}

    def _visit_vec(self, state: str, visits: Mapping[str, int]) -> tuple[int, ...]:
        if not self.track:
            return ()
        return tuple(min(visits.get(s, 0), cap) for s, cap in self.facts[state].visit_caps)

    def _start_node(self) -> tuple[str, tuple[int, ...]]:
        start = self.scenario.start
        return (start, self._visit_vec(start, {start: 1}))

    def node_of(self, call: Call) -> int:
        """The plot node of an unfinished call."""
        state = call.state
        at = (state, self._visit_vec(state, call.history.visits))
        found = self.node_ids.get(at)
        if found is None:
            # Not reachable from the start as the plot nodes see it (another engine rule,
            # or a call started elsewhere): add it, each new node a class of its own, since
            # the classes keys already hold must not change.
            try:
                found = self._grow(at)
            except _TooManyNodes:
                raise Unsound(f"no room for the plot node {at}") from None
            while len(self.node_class) < len(self.node_key):
                self.node_class.append(-1 - len(self.node_class))
        return found

    def _classify(self) -> None:
        """Group the plot nodes that cannot be told apart: the same state, conditions,
        bounds and tests, and per reply the same branches decided the same way by the
        visit counts, leading to nodes of the same groups (partition refinement). Keys
        hold the group, so visit counts that no longer change anything split no future."""
        n = len(self.node_key)
        base = [
            (
                self.node_key[i][0],
                self.node_conds[i],
                tuple(sorted(self.rise[i].items())),
                tuple(sorted(self.fall[i].items())),
                tuple(
                    sorted((c, tuple(sorted(f.items()))) for c, f in self.reply_flips[i].items())
                ),
                tuple(sorted(self._branch_sig[i].items())),
            )
            for i in range(n)
        ]
        ids: dict[object, int] = {}
        cls = [ids.setdefault(b, len(ids)) for b in base]
        while True:
            ids = {}
            new = [
                ids.setdefault(
                    (
                        cls[i],
                        tuple(
                            (
                                c,
                                tuple(
                                    sorted(
                                        (nx, -1 if m is None else cls[m]) for nx, m in out.items()
                                    )
                                ),
                            )
                            for c, out in sorted(self.node_next[i].items())
                        ),
                    ),
                    len(ids),
                )
                for i in range(n)
            ]
            if len(ids) == len(set(cls)):
                break
            cls = new
        self.node_class = cls

    def _grow(self, root: tuple[str, tuple[int, ...]]) -> int:
        """Add the plot nodes reachable from ``root`` with their facts and bounds."""
        sc = self.scenario
        first = len(self.node_key)
        own: list[set[Condition]] = []
        todo = [root]
        self._add(root, own)
        while todo:
            state, vec = todo.pop()
            nid = self.node_ids[(state, vec)]
            seen = dict(zip((s for s, _ in self.facts[state].visit_caps), vec, strict=False))
            for c in sc.states[state].choices:
                goes: list[str] = []
                tested: list[Condition] = []
                for b in c.branches:
                    answer = True if b.when is None else _decided(b.when, seen)
                    if b.when is not None:
                        tested.append(b.when)
                    if answer is False:
                        continue
                    if b.next not in goes:
                        goes.append(b.next)
                    if answer is True:
                        break
                self._branch_sig[nid][c.id] = tuple(
                    (b.next, _visit_answers(b.when, seen)) for b in c.branches
                )
                # Which branch is taken matters only if they can lead to different places.
                conds = [
                    *(tested if len(goes) > 1 else ()),
                    *(w for w in self._reaction_conds[(state, c.id)] if w is not None),
                ]
                own[nid - first].update(conds)
                self.reply_flips[nid][c.id] = self._flips(conds)
                out: dict[str, int | None] = {}
                for nxt in [*goes, *self._forced]:
                    if nxt not in sc.states:
                        out[nxt] = None
                        continue
                    counts = dict(seen)
                    counts[nxt] = counts.get(nxt, 0) + 1
                    key = (nxt, self._visit_vec(nxt, counts))
                    if key not in self.node_ids:
                        self._add(key, own)
                        todo.append(key)
                    out[nxt] = self.node_ids[key]
                self.node_next[nid][c.id] = out
        self._settle(first, own)
        return self.node_ids[root]

    def _add(self, key: tuple[str, tuple[int, ...]], own: list[set[Condition]]) -> None:
        if len(self.node_key) >= _NODE_LIMIT:
            raise _TooManyNodes
        self.node_ids[key] = len(self.node_key)
        self.node_key.append(key)
        self.node_next.append({})
        own.append(set(self._thresholds_conds))
        # Placeholders, set by _settle.
        self.node_facts.append(_NO_FACTS)
        self.node_conds.append(frozenset())
        self.rise.append({})
        self.fall.append({})
        self.reply_flips.append({})
        self._branch_sig.append({})

    def _settle(self, first: int, own: list[set[Condition]]) -> None:
        """Facts and bounds of the nodes from ``first`` on, a strongly connected group at
        a time, those the others lead to first (the older nodes are settled already)."""
        for group in _groups(first, len(self.node_key), self._successors):
            members = set(group)
            conds: set[Condition] = set()
            for nid in group:
                conds |= own[nid - first]
                for m in self._successors(nid):
                    if m not in members:
                        conds |= self.node_conds[m]
            key = frozenset(conds)
            facts = self._facts_memo.get(key)
            if facts is None:
                facts = self._facts_memo[key] = _facts(key, (), self.variables)
            for nid in group:
                state = self.node_key[nid][0]
                self.node_facts[nid] = _Facts(
                    facts.events,
                    facts.chosen,
                    facts.tag_caps,
                    facts.visit_caps,
                    facts.turn_cap,
                    facts.thresholds,
                    self.facts[state].reactions,
                )
                self.node_conds[nid] = key
            cyclic = len(group) > 1 or group[0] in self._successors(group[0])
            for sign, bound in ((0, self.rise), (1, self.fall)):
                for nid in group:
                    bound[nid] = dict.fromkeys(self.variables, 0)
                for _ in range(self.max_depth if cyclic else 1):
                    changed = False
                    for nid in group:
                        new = self._bound_step(nid, sign, bound)
                        if new != bound[nid]:
                            bound[nid], changed = new, True
                    if not changed:
                        break

    def _successors(self, nid: int) -> Iterator[int]:
        for out in self.node_next[nid].values():
            for m in out.values():
                if m is not None:
                    yield m

    def _flips(self, conds: list[Condition]) -> Mapping[str, tuple[int, ...]]:
        key = frozenset([*conds, *self._thresholds_conds])
        facts = self._facts_memo.get(key)
        if facts is None:
            facts = self._facts_memo[key] = _facts(key, (), self.variables)
        return facts.thresholds

    def _bound_step(self, nid: int, sign: int, bound: list[dict[str, int]]) -> dict[str, int]:
        state = self.node_key[nid][0]
        out = dict.fromkeys(self.variables, 0)
        for choice, nexts in self.node_next[nid].items():
            step = self.step[(state, choice)]
            ahead = [bound[m] for m in nexts.values() if m is not None]
            for v in self.variables:
                out[v] = max(out[v], step[v][sign] + max([0, *(b[v] for b in ahead)]))
        return out

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

    def check(self, node: int, choice: str, turn: Turn, child: Call) -> int | None:
        """Raise ``Unsound`` if this reply, made at plot node ``node``, moved a variable
        beyond the plot's bounds or went where the plot nodes say it cannot; else the plot
        node of ``child`` (None: it is finished, or the keys are exact)."""
        if not self.abstract:
            return None
        state = self.node_key[node][0]
        after, before = turn.mood_after, turn.mood_before
        for var, up, down in self._steps[(state, choice)]:
            moved = after[var] - before[var]
            if moved > up or -moved > down:
                raise Unsound(f"{state}.{choice} moved {var} by {moved}")
        nexts = self.node_next[node][choice]
        if turn.next not in nexts:
            raise Unsound(f"{state}.{choice} went to {turn.next}")
        expected = nexts[turn.next]
        if expected is not None:
            at, counts = self.node_key[expected]
            if at != child.state or (
                counts and counts != self._visit_vec(at, child.history.visits)
            ):
                raise Unsound(f"{state}.{choice}: the visit counts went otherwise")
        return expected

    def _thresholds(self, node: int, fired: set[int]) -> dict[str, tuple[int, ...]]:
        """The thresholds that matter from plot node ``node``: the tests', and a variable's
        limits while a reaction that moves it has not yet been seen to."""
        cached = self._report_cache.get((node, len(fired)))
        if cached is not None:
            return cached
        facts = self.node_facts[node]
        out = {v: set(facts.thresholds[v]) for v in self.variables}
        for index, var, delta in facts.reactions:
            if index not in fired:
                lo, hi = self.limits[var]
                out[var].add(hi if delta > 0 else lo + 1)
        done = {v: tuple(sorted(s)) for v, s in out.items()}
        self._report_cache[(node, len(fired))] = done
        return done

    def _plan(
        self, node: int, fired: set[int]
    ) -> list[tuple[str, int, int, tuple[int, ...], int, int]]:
        """Per variable: its limits, the thresholds that matter and how far it can still
        rise and fall, from plot node ``node``."""
        cached = self._plans.get((node, len(fired)))
        if cached is None:
            thresholds = self._thresholds(node, fired)
            cached = self._plans[(node, len(fired))] = [
                (v, *self.limits[v], thresholds[v], self.rise[node][v], self.fall[node][v])
                for v in self.variables
            ]
        return cached

    def _settled(
        self,
        node: int,
        events: frozenset[str],
        chosen: frozenset[str],
        tag_counts: tuple[int, ...],
    ) -> tuple[object, tuple[int | None, ...]]:
        """What of the events, choices and tags said so far can still change the call
        from plot node ``node``: which of the conditions ahead are settled, and the counts
        of the tags the unsettled ones still test. A tag said, an event raised, a choice
        made stays so for the rest of the call, so a test of one that holds now holds for
        ever: an ``any`` with such an item is settled, and the other items' facts no
        longer tell futures apart ("acknowledged" or "let them finish": once either is
        done, which one no longer matters)."""
        memo = (node, events, chosen, tag_counts)
        found = self._settled_memo.get(memo)
        if found is not None:
            return found
        facts = self.node_facts[node]
        counts = {t: n for (t, _), n in zip(facts.tag_caps, tag_counts, strict=True)}
        true_now = _Now(events, chosen, counts)
        # In a fixed order, so that each condition keeps its place: two calls alike only
        # if every condition ahead is settled alike.
        order = self._cond_order.get(self.node_conds[node])
        if order is None:
            order = self._cond_order[self.node_conds[node]] = tuple(
                sorted(self.node_conds[node], key=repr)
            )
        left = tuple(_settle(c, true_now) for c in order)
        named = {
            c.tag
            for c in walk(x for x in left if not isinstance(x, bool))
            if isinstance(c, TagUsedCond)
        }
        ids = self._settled_ids.setdefault(left, len(self._settled_ids))
        found = (
            ids,
            tuple(
                n if t in named else None
                for (t, _), n in zip(facts.tag_caps, tag_counts, strict=True)
            ),
        )
        self._settled_memo[memo] = found
        return found

    def key(self, call: Call, fired: set[int], node: int | None = None) -> Canon:
        """The key of ``call``'s future; ``fired`` holds the reactions seen to move the mood
        so far (it only grows, so older keys stay valid: a region is named by its ends);
        ``node``: the call's plot node, if ``check`` found it already."""
        state = call.state
        if call.finished:
            return Canon((state,), (state,), (None,) * len(self.variables), -1)
        h = call.history
        n = len(call.turns)
        # Most personas have no mood-moving interjections: no counters to gather then.
        counters = (
            tuple(min(i.every - 1, n - call._quiet_since[i.id]) for i in self.interjections)
            if self.interjections
            else ()
        )
        if not self.abstract:
            exact_mood = tuple(h.mood[v] for v in self.variables)
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
            return Canon(key, key, (None,) * len(self.variables), -1)
        if node is None:
            node = self.node_of(call)
        facts = self.node_facts[node]
        mood: list[int | Region] = []
        regions: list[Region | None] = []  # the mood as the partial key holds it
        spans: list[tuple[int, int] | None] = []
        exact: set[str] = set()
        values = h.mood
        for var, lo, hi, flips, up, down in self._plan(node, fired):
            x = values[var]
            low = x - down if x - down > lo else lo
            high = x + up if x + up < hi else hi
            j = bisect.bisect_right(flips, low)
            if j < len(flips) and flips[j] <= high:
                mood.append(x)
                regions.append(None)
                spans.append(None)
                exact.add(var)
                continue
            below = flips[j - 1] if j else None
            above = flips[j] if j < len(flips) else None
            mood.append((below, above))
            regions.append((below, above))
            # Every value whose whole range stays between the same two thresholds.
            spans.append(
                (
                    lo if below is None or below <= lo else below + down,
                    hi if above is None or above > hi else above - 1 - up,
                )
            )
        kept = (
            tuple(
                c if any(v in exact for v in i.mood) else None
                for c, i in zip(counters, self.interjections, strict=True)
            )
            if counters
            else ()
        )
        rest = (
            *self._settled(
                node,
                facts.events & h.events,
                facts.chosen & h.chosen,
                tuple([min(h.tags.get(t, 0), cap) for t, cap in facts.tag_caps]),
            ),
            # The state's visit counts, as far as they still matter (all the tested ones
            # when there were too many combinations to follow them in the plot nodes).
            self.node_class[node]
            if self.track
            else tuple(min(h.visits[s], cap) for s, cap in facts.visit_caps),
            kept,
        )
        turn = None if facts.turn_cap is None else min(n, facts.turn_cap)
        return Canon(
            (state, turn, tuple(mood), *rest),
            (state, turn, tuple(regions), *rest),
            tuple(spans),
            node,
        )

    def _asked(self, state: str, choice: str, change: MoodChange) -> int | None:
        """The change the plot asked for, of which the engine applied ``change``."""
        persona = self.scenario.persona
        if change.reaction is not None:
            return persona.reactions[change.reaction].mood.get(change.var)
        if change.cause == "choice":
            return self._choice_mood[(state, choice)].get(change.var)
        if change.cause.startswith("interjection:"):
            inter = change.cause.removeprefix("interjection:")
            for i in persona.interjections:
                if i.id == inter:
                    return i.mood.get(change.var)
        return None

    def _ended_by(
        self, state: str, choice: str, event: str, after: History
    ) -> Mapping[str, tuple[int, ...]]:
        """The thresholds a reply that raised ``event`` must stay on the same side of to
        raise it again: the reactions' to its tags, the first persona threshold that
        holds (the engine raises that one's event), and the thresholds before it that
        raise another event. A later threshold, or an earlier one raising the same event,
        cannot change what happens: two ways to hang up are one ending."""
        first = next((i for i, (_, when) in enumerate(self._forcing) if holds(when, after)), None)
        if first is None or self._forcing[first][0] != event:
            raise Unsound(f"{state}.{choice} raised {event}, which no threshold explains")
        found = self._witness_flips.get((state, choice, first))
        if found is None:
            conds = [w for w in self._reaction_conds[(state, choice)] if w is not None]
            conds.append(self._forcing[first][1])
            conds += [w for e, w in self._forcing[:first] if e != event]
            found = _facts(conds, (), self.variables).thresholds
            self._witness_flips[(state, choice, first)] = found
        return found

    def reply_span(
        self,
        node: int,
        choice: str,
        turn: Turn,
        child: Sequence[tuple[int, int] | None],
        after: History | None = None,
    ) -> list[tuple[int, int]]:
        """Per variable, the starting values for which this reply goes exactly as it went
        (every test it makes answers the same) and lands in ``child`` (the next call's
        spans; None: only its exact value). ``after``: the call's history after a reply a
        persona threshold ended, so that only the threshold that ended it (and those
        before it that raise another event) need answer the same."""
        state = self.node_key[node][0]
        if turn.forced_event is None:
            flips = self.reply_flips[node][choice]
        elif after is None:
            flips = self.forced_flips[(state, choice)]
        else:
            flips = self._ended_by(state, choice, turn.forced_event, after)
        passing = self.passing_flips[(state, choice)]
        step = self.step[(state, choice)]
        moves: dict[str, list[MoodChange]] = {}
        moved: dict[str, int] = {}
        for change in turn.changes:
            moves.setdefault(change.var, []).append(change)
            moved[change.var] = moved.get(change.var, 0) + change.delta
        out: list[tuple[int, int]] = []
        for vi, var in enumerate(self.variables):
            lo, hi = self.limits[var]
            cuts = flips[var]
            seen = passing[var]
            x = turn.mood_before[var]
            changes = moves.get(var)
            span = child[vi]
            if changes is None and lo < x < hi:
                # Untouched by this reply (most variables of most replies): the starts on
                # the same side of every threshold that land in the child's span.
                if turn.mood_after[var] != x:
                    raise Unsound(f"{state}.{choice}: {var} moved without a change")
                j = bisect.bisect_right(cuts, x)
                low = cuts[j - 1] if j else lo
                high = cuts[j] - 1 if j < len(cuts) else hi
                if span is not None:
                    low = max(low, span[0])
                    high = min(high, span[1])
                else:
                    low = high = x
                if not low <= x <= high:
                    raise Unsound(f"{state}.{choice}: {var}={x} outside its own span")
                out.append((low, high))
                continue
            changes = changes or []
            if x + moved.get(var, 0) != turn.mood_after[var]:
                raise Unsound(f"{state}.{choice}: the changes to {var} do not add up")
            # The values the tests of this reply saw: the start, then the value after each
            # change the engine made, in order (every test sees the last, only the
            # reactions' the others). As a function of the start v each is
            # min(top, max(bottom, v + shift)), clamping the change the plot asked for at
            # the limits, so the starts that see a value in a given range are an interval:
            # for a range want_lo..want_hi, the starts from want_lo - shift (or lo, when
            # bottom >= want_lo) to want_hi - shift (or hi, when top <= want_hi).
            rise, fall = step[var]
            bottom, top, shift = lo, hi, 0
            low, high = lo, hi
            value, done, touched = x, 0, False
            while True:
                if (value == lo and fall) or (value == hi and rise):
                    # At a limit, a change asked for may leave no trace (unless the reply
                    # cannot push that way): keep only the starts that reach the same limit
                    # here, whose values from here on are the same.
                    if bottom < value and value - shift > low:
                        low = value - shift
                    if top > value and value - shift < high:
                        high = value - shift
                    touched = True
                    break
                tested = cuts if done == len(changes) else seen
                j = bisect.bisect_right(tested, value)
                cell_lo = tested[j - 1] if j else lo
                cell_hi = tested[j] - 1 if j < len(tested) else hi
                if bottom < cell_lo and cell_lo - shift > low:
                    low = cell_lo - shift
                if top > cell_hi and cell_hi - shift < high:
                    high = cell_hi - shift
                if done == len(changes):
                    break
                change = changes[done]
                done += 1
                asked = (state, choice, change.cause, change.reaction, var)
                want = self._asked_memo.get(asked)
                if want is None:
                    want = self._asked_memo[asked] = self._asked(state, choice, change)
                if want is None:
                    raise Unsound(f"{state}.{choice}: a change to {var} of unknown size")
                bottom = _clamp(bottom + want, lo, hi)
                top = _clamp(top + want, lo, hi)
                shift += want
                value += change.delta
                if _clamp(x + shift, bottom, top) != value:
                    raise Unsound(f"{state}.{choice}: {var} moved otherwise than asked")
            if not touched:
                c_lo, c_hi = span if span is not None else (value, value)
                if bottom < c_lo and c_lo - shift > low:
                    low = c_lo - shift
                if top > c_hi and c_hi - shift < high:
                    high = c_hi - shift
            if not low <= x <= high:
                raise Unsound(f"{state}.{choice}: {var}={x} outside its own span")
            out.append((low, high))
        return out


@dataclass(frozen=True, slots=True)
class _Now:
    """The events raised, choices made and tag counts (capped) of a call so far."""

    events: frozenset[str]
    chosen: frozenset[str]
    tags: Mapping[str, int]


def _settle(cond: Condition, now: _Now) -> Condition | bool:
    """``cond`` with what already holds for good put in: a test of an event raised, a
    choice made or a tag said as often as asked is True from now on. Only those facts
    never go back, so the rest (mood, turn, visits) is left as it is."""
    if isinstance(cond, EventCond):
        return True if cond.event in now.events else cond
    if isinstance(cond, ChoseCond):
        said = f"{cond.state}.{cond.choice}" if cond.state else cond.choice
        return True if said in now.chosen else cond
    if isinstance(cond, TagUsedCond):
        return True if now.tags.get(cond.tag, 0) >= cond.at_least else cond
    if isinstance(cond, NotCond):
        inner = _settle(cond.item, now)
        if isinstance(inner, bool):
            return not inner
        return cond if inner is cond.item else NotCond(inner)
    if isinstance(cond, AllCond | AnyCond):
        settled = [_settle(c, now) for c in cond.items]
        stop = isinstance(cond, AnyCond)  # the answer that decides the whole
        if stop in settled:
            return stop
        items = tuple(c for c in settled if not isinstance(c, bool))
        if not items:
            return not stop
        if len(items) == 1:
            return items[0]
        return type(cond)(items)
    return cond


def _decided(cond: Condition, visits: Mapping[str, int]) -> bool | None:
    """Whether ``cond`` holds, as far as the visit counts decide it (None: not decided)."""
    if isinstance(cond, VisitedCond):
        if cond.state not in visits:
            return None
        return visits[cond.state] >= cond.at_least
    if isinstance(cond, AllCond | AnyCond):
        answers = [_decided(c, visits) for c in cond.items]
        if isinstance(cond, AllCond):
            return False if False in answers else True if all(answers) else None
        return True if True in answers else False if all(a is False for a in answers) else None
    if isinstance(cond, NotCond):
        answer = _decided(cond.item, visits)
        return None if answer is None else not answer
    return None


def _visit_answers(cond: Condition | None, visits: Mapping[str, int]) -> tuple[object, ...]:
    """How the visit counts answer each `visited` test in ``cond``, in a fixed order."""
    if cond is None:
        return ()
    return tuple(
        (c.state, c.at_least, visits.get(c.state, -1) >= c.at_least)
        for c in walk([cond])
        if isinstance(c, VisitedCond)
    )


def _groups(first: int, end: int, successors: Callable[[int], Iterable[int]]) -> list[list[int]]:
    """The strongly connected groups of the nodes first..end-1 (edges to older nodes left
    out), each after every group it leads to (Tarjan's algorithm, without recursion)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    out: list[list[int]] = []
    for root in range(first, end):
        if root in index:
            continue
        work: list[tuple[int, Iterator[int]]] = [(root, iter(successors(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            nid, it = work[-1]
            for m in it:
                if m < first:
                    continue
                if m not in index:
                    index[m] = low[m] = len(index)
                    stack.append(m)
                    on_stack.add(m)
                    work.append((m, iter(successors(m))))
                    break
                if m in on_stack:
                    low[nid] = min(low[nid], index[m])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[nid])
                if low[nid] == index[nid]:
                    group: list[int] = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        group.append(m)
                        if m == nid:
                            break
                    out.append(group)
    return out


def _clamp(v: int, lo: int, hi: int) -> int:
    return lo if v < lo else hi if v > hi else v


@dataclass(frozen=True, slots=True)
class Canon:
    """A call's key; ``partial`` leaves out the variables kept exactly, ``spans`` gives
    per variable the values its region stands for (None: kept exactly)."""

    key: Key
    partial: Key
    spans: tuple[tuple[int, int] | None, ...]
    node: int  # the plot node (-1: finished, or keys kept exact)

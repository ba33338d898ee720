"""The graph of a scenario's distinct futures, built with the engine, and folds over it.

Every node is one future (simulator/engine/explore_keys.py says when two calls share
one); every edge is one reply, made by the engine on a ``Call.fork()`` of a call that
has that future, with what the reply earned and offered. The graph is built depth first;
a node first met at ``max_depth`` replies is expanded only if it is met again sooner.
Loops in the plot are loops in the graph: a path is a walk from the root that ends at an
ending or after ``max_depth`` replies, and ``Folder`` sums anything over all such walks
by memoising on (node, replies left), or on the node alone where no walk from it is
long enough for the limit to matter.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from simulator.engine.call import Call, CallPlot
from simulator.engine.explore_keys import Canon, Key, Keys
from simulator.engine.turn import Turn
from simulator.scenario.model import DIMENSIONS, Choice

Vec = tuple[int, int, int, int]
T = TypeVar("T")
_BUCKET = 2  # mood values per bucket of the box index
# Longer than any walk that matters: "can go on past the depth limit".
ENDLESS = 1 << 30


class TooManyFutures(Exception):
    """The distinct futures outgrew the limit."""


@dataclass(frozen=True, slots=True)
class Edge:
    label: str  # "state.choice"
    earned: Vec
    offered: Vec
    blocked: bool  # the reply used a blocker tag
    concern: str | None
    steps: tuple[str, ...]  # the loop steps of the reply's tags, in order
    child: int


@dataclass(slots=True)
class Node:
    depth: int  # the fewest replies it has been reached in so far
    ending: str | None = None
    edges: list[Edge] = field(default_factory=list)
    expanded: bool = False
    # Per mood variable, the values (lo, hi) this node stands for; None until its future
    # is known (a node on the current path, or met only at the depth limit).
    box: list[tuple[int, int]] | None = None


def _vec(values: Sequence[int]) -> Vec:
    a, b, c, d = values
    return (a, b, c, d)


class _Walk(Call):
    """A fork that offers its choices in the authored order: the seeded display order
    only decides which number a reply is shown as, and costs a hash per choice."""

    @property
    def choices(self) -> list[Choice]:
        return [] if self.finished else list(self.scenario.states[self.state].choices)

    def fork(self) -> Call:
        twin = super().fork()
        twin.__class__ = _Walk  # a plain Call's layout: always allowed
        return twin


def _walker(call: Call) -> Call:
    # A Call whose layout forbids it keeps its display order.
    with contextlib.suppress(TypeError):
        call.__class__ = _Walk
    return call


def _variants(canon: Canon) -> list[tuple[Key, tuple[int, ...]]]:
    """The partial keys a node is filed (and a call looked up) under, each with the
    variables whose values its box is checked on: the variables the key keeps exactly,
    and any of those it keeps only as a region. A box holds for the values themselves, so
    a call whose key names a region is the same future as a node whose box holds its
    values, though that node's key kept them exactly (met first, it had less ahead)."""
    if canon.node < 0:
        return []  # an ending, or keys kept exact: only the whole key finds a node
    spans = canon.spans
    exact = [i for i, sp in enumerate(spans) if sp is None]
    regions = [i for i, sp in enumerate(spans) if sp is not None]
    state, turn, mood, *rest = canon.partial
    assert isinstance(mood, tuple)
    out: list[tuple[Key, tuple[int, ...]]] = []
    for n in range(1 << len(regions)):
        made = {regions[j] for j in range(len(regions)) if n >> j & 1}
        dims = tuple(sorted([*exact, *made]))
        if not dims:
            continue
        m = tuple(None if i in made else x for i, x in enumerate(mood))
        out.append(((state, turn, m, *rest), dims))
    return out


class Graph:
    """Distinct futures of one scenario from ``plot.new_call(seed)``.

    Built depth first. A call joins an existing node when its key is the node's key, or
    when its key differs only in mood values that lie within what the node stands for:
    after a node's replies are all made, ``Keys.reply_span`` works out, per variable, the
    starting values for which each reply would have gone the same way into the same
    next node, and the node stands for their intersection.
    """

    def __init__(
        self,
        plot: CallPlot,
        keys: Keys,
        *,
        limit: int,
        max_depth: int,
        seed: int,
        note: Callable[[Turn], None],
    ) -> None:
        self.plot = plot
        self.keys = keys
        self.limit = limit
        self.max_depth = max_depth
        self.note = note
        self.nodes: list[Node] = []
        self.replies = 0
        self.fired: set[int] = set()
        self._exact: dict[Key, int] = {}
        self._boxes: dict[Key, dict[int, list[tuple[tuple[tuple[int, int], ...], int]]]] = {}
        self._canon: list[Canon] = []
        self._variant_memo: dict[Key, list[tuple[Key, tuple[int, ...]]]] = {}
        self._waiting: dict[int, Call] = {}  # met only at the depth limit, not yet expanded
        # Per reply and the tags it showed: its label, points earned and on offer, whether
        # a blocker, its loop steps.
        self._said: dict[
            tuple[str, str, tuple[str, ...]], tuple[str, Vec, Vec, bool, tuple[str, ...]]
        ]
        self._said = {}
        base = plot.new_call(seed)
        root = _walker(base.fork())
        base.close()  # forks are never added to the Machine
        self.root = self._reach(root, 0)
        self.longest = self._longest()

    def _find(self, call: Call, plot_node: int | None) -> tuple[int | None, Canon]:
        canon = self.keys.key(call, self.fired, plot_node)
        found = self._exact.get(canon.key)
        if found is not None:
            return found, canon
        mood = call.history.mood
        values = [mood[v] for v in self.keys.variables]
        for partial, dims in self._variants(canon):
            buckets = self._boxes.get(partial)
            if not buckets:
                continue
            for box, nid in buckets.get(values[dims[0]] // _BUCKET, ()):
                for (lo, hi), i in zip(box, dims, strict=True):
                    if values[i] < lo or values[i] > hi:
                        break
                else:
                    self._exact[canon.key] = nid  # the same key next time: found at once
                    return nid, canon
        return None, canon

    def _variants(self, canon: Canon) -> list[tuple[Key, tuple[int, ...]]]:
        found = self._variant_memo.get(canon.partial)
        if found is None:
            found = self._variant_memo[canon.partial] = _variants(canon)
        return found

    def _register(self, nid: int, canon: Canon, box: list[tuple[int, int]]) -> None:
        """File the node's box under its partial keys, by the first variable it holds
        values of (in buckets of _BUCKET), so a lookup only tries boxes that can hold it."""
        for partial, dims in self._variants(canon):
            buckets = self._boxes.setdefault(partial, {})
            lo, hi = box[dims[0]]
            entry = (tuple(box[i] for i in dims), nid)
            for b in range(lo // _BUCKET, hi // _BUCKET + 1):
                buckets.setdefault(b, []).append(entry)

    def _reach(self, call: Call, depth: int, plot_node: int | None = None) -> int:
        """The node of ``call``'s future, reached after ``depth`` replies (``plot_node``:
        its plot node, when already known)."""
        nid, canon = self._find(call, plot_node)
        if nid is None:
            if len(self.nodes) >= self.limit:
                raise TooManyFutures
            nid = len(self.nodes)
            self.nodes.append(Node(depth, call.state if call.finished else None))
            self._canon.append(canon)
            self._exact[canon.key] = nid
            if call.finished:
                self.nodes[nid].box = [self.keys.limits[v] for v in self.keys.variables]
                return nid
            if depth >= self.max_depth:
                self._waiting[nid] = call
                return nid
            self._expand(nid, call, depth, canon)
            return nid
        self._deepen(nid, depth)
        return nid

    def _deepen(self, nid: int, depth: int) -> None:
        """``nid`` is reached in ``depth`` replies: expand what is now within the limit."""
        node = self.nodes[nid]
        if depth >= node.depth or node.ending is not None:
            return
        node.depth = depth
        if not node.expanded:
            call = self._waiting.pop(nid, None)
            if call is not None and depth < self.max_depth:
                self._expand(nid, call, depth, self._canon[nid])
            elif call is not None:
                self._waiting[nid] = call
            return
        for edge in node.edges:
            self._deepen(edge.child, depth + 1)

    def _expand(self, nid: int, call: Call, depth: int, canon: Canon) -> None:
        node = self.nodes[nid]
        node.expanded = True
        node.depth = depth
        keys, tags = self.keys, self.plot.tags
        state = self.plot.scenario.states[call.state]
        box = [keys.limits[v] for v in keys.variables]
        for choice in state.choices:
            child = call.fork()
            turn = child.reply(choice.id)
            self.replies += 1
            plot_node = keys.check(canon.node, choice.id, turn, child)
            self.note(turn)
            for change in turn.changes:
                if change.reaction is not None:
                    self.fired.add(change.reaction)
            cid = self._reach(child, depth + 1, plot_node)
            if keys.abstract:
                child_span = self._span_of(cid, child)
                for i, (lo, hi) in enumerate(
                    keys.reply_span(canon.node, choice.id, turn, child_span, child.history)
                ):
                    box[i] = (max(box[i][0], lo), min(box[i][1], hi))
            # What the edge records of a reply depends on its choice and the tags it showed
            # alone (CallPlot.tag_points, the state's ``available``): worked out once each.
            said = self._said.get((state.id, choice.id, turn.tags))
            if said is None:
                said = self._said[(state.id, choice.id, turn.tags)] = (
                    f"{state.id}.{choice.id}",
                    _vec([turn.points[d] for d in DIMENSIONS]),
                    _vec([max(turn.available[d], 0) for d in DIMENSIONS]),
                    any(tags[t].blocker for t in turn.tags),
                    tuple(s for s in (tags[t].loop for t in turn.tags) if s),
                )
            label, earned, offered, blocked, steps = said
            node.edges.append(Edge(label, earned, offered, blocked, turn.concern, steps, cid))
        if keys.abstract:
            node.box = box
            self._register(nid, canon, box)

    def _span_of(self, nid: int, call: Call) -> list[tuple[int, int] | None]:
        """Per variable, values that node ``nid`` stands for, among them ``call``'s (which
        it was found for): the wider of its region and its box that holds the value
        (None: only the value itself, while the node's box is not known)."""
        box = self.nodes[nid].box
        mood = call.history.mood
        out: list[tuple[int, int] | None] = []
        for i, (var, region) in enumerate(
            zip(self.keys.variables, self._canon[nid].spans, strict=True)
        ):
            x = mood[var]
            best = region if region is not None and region[0] <= x <= region[1] else None
            if box is not None:
                lo, hi = box[i]
                if lo <= x <= hi and (best is None or hi - lo > best[1] - best[0]):
                    best = (lo, hi)
            out.append(best)
        return out

    def _longest(self) -> list[int]:
        """Replies on the longest walk from each node to an ending (ENDLESS: a loop or an
        unexpanded node lies ahead)."""
        nodes = self.nodes
        out = [-1] * len(nodes)
        on_path = [False] * len(nodes)
        for start in range(len(nodes)):
            if out[start] >= 0:
                continue
            stack: list[tuple[int, int]] = [(start, 0)]
            on_path[start] = True
            while stack:
                nid, i = stack[-1]
                node = nodes[nid]
                if node.ending is not None or not node.expanded:
                    out[nid] = 0 if node.ending is not None else ENDLESS
                    on_path[nid] = False
                    stack.pop()
                    continue
                if i < len(node.edges):
                    stack[-1] = (nid, i + 1)
                    child = node.edges[i].child
                    if on_path[child]:
                        out[nid] = ENDLESS  # a loop: finished below as the maximum
                    elif out[child] < 0:
                        on_path[child] = True
                        stack.append((child, 0))
                    continue
                best = max(
                    (ENDLESS if on_path[e.child] else min(ENDLESS, out[e.child] + 1))
                    for e in node.edges
                )
                out[nid] = max(best, out[nid])
                on_path[nid] = False
                stack.pop()
        return out

    def loops(self, most: int = 5) -> list[tuple[str, ...]]:
        """Up to ``most`` loops a call can go round for ever, each as the replies of its
        shortest round: a future that comes back to itself never has to end."""
        nodes = self.nodes
        # Depth-first from the root: a reply back to a node on the current path closes a loop.
        targets: list[int] = []
        on_path = {self.root}
        done: set[int] = set()
        stack: list[tuple[int, int]] = [(self.root, 0)]
        while stack:
            nid, i = stack[-1]
            edges = nodes[nid].edges
            if i >= len(edges):
                stack.pop()
                on_path.discard(nid)
                done.add(nid)
                continue
            stack[-1] = (nid, i + 1)
            child = edges[i].child
            if child in on_path:
                if child not in targets:
                    targets.append(child)
            elif child not in done and nodes[child].expanded:
                on_path.add(child)
                stack.append((child, 0))
        rounds = {self._round(start) for start in targets[: most * 10]}
        return sorted((r for r in rounds if r), key=lambda r: (len(r), r))[:most]

    def _round(self, start: int) -> tuple[str, ...]:
        """The fewest replies that lead from ``start`` back to it (breadth first)."""
        back: dict[int, tuple[int, str]] = {}
        todo = deque([start])
        while todo:
            nid = todo.popleft()
            for edge in self.nodes[nid].edges:
                if edge.child == start:
                    labels = [edge.label]
                    while nid != start:
                        nid, label = back[nid]
                        labels.append(label)
                    return tuple(reversed(labels))
                if edge.child not in back and self.nodes[edge.child].expanded:
                    back[edge.child] = (nid, edge.label)
                    todo.append(edge.child)
        return ()


class Folder(Generic[T]):
    """Fold every walk of the graph into one value: ``leaf`` at an ending, ``cut`` where the
    depth limit ends a walk, ``along(edge, value)`` for one reply taken before the rest,
    ``merge`` over the replies offered at a node."""

    def __init__(
        self,
        graph: Graph,
        *,
        leaf: Callable[[str], T],
        cut: Callable[[], T],
        along: Callable[[Edge, T], T],
        merge: Callable[[list[T]], T],
    ) -> None:
        self.graph = graph
        self.leaf, self.cut, self.along, self.merge = leaf, cut, along, merge
        self.free: dict[int, T] = {}
        self.bounded: dict[tuple[int, int], T] = {}

    def value(self, nid: int, left: int) -> T:
        """The fold over the walks from ``nid`` with ``left`` replies still allowed."""
        node = self.graph.nodes[nid]
        if node.ending is not None:
            found = self.free.get(nid)
            if found is None:
                found = self.free[nid] = self.leaf(node.ending)
            return found
        if left <= 0:
            return self.cut()
        if not node.expanded:  # met first at max_depth, so never with replies left
            raise RuntimeError(f"node {nid} reached with {left} replies left")
        free = self.graph.longest[nid] <= left
        found = self.free.get(nid) if free else self.bounded.get((nid, left))
        if found is not None:
            return found
        # Recursion depth is at most ``left`` (<= max_depth) replies.
        out = self.merge([self.along(e, self.value(e.child, left - 1)) for e in node.edges])
        if free:
            self.free[nid] = out
        else:
            self.bounded[(nid, left)] = out
        return out

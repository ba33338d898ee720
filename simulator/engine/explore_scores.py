"""Scores over every path of a future graph (simulator/engine/explore_graph.py).

A path's score is ``score_sums`` of its point sums: what it earned and what was on offer
per dimension, its ending's outcome, and whether it used a blocker. That is not a sum
over replies (shares, rounding, caps), so:

- the **highest and lowest** scores are found by branch and bound: for every node, the
  point sums its walks can still add, kept per dimension as the pairs (earned, on offer)
  no other pair beats, bound what any walk from it can score; walks that cannot beat the
  best found so far are not followed. The paths found are scored by ``score_sums``.
- the **distribution** (median, passing paths) is exact when the distinct point-sum
  combinations stay under a limit: each node's walks are folded into a multiset of
  (ending, blocker used, earned and on offer per dimension) with path counts, and the
  start's multiset is scored. Past the limit, the median and the passing share are
  estimated from paths drawn uniformly at random (each path equally likely, using the
  exact path counts).

Scoring the multiset uses the score's shape: each dimension's figure depends only on that
dimension's two sums, the total is their sum, then capped. A sample of the entries is
checked against ``score_sums``; if the rubric ever stops having that shape, every entry is
scored by ``score_sums`` instead.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from simulator.engine.explore_graph import Edge, Folder, Graph
from simulator.scenario.model import DIMENSIONS, Rubric, Scenario
from simulator.scoring.rubric import Score, dimension_tenths, score_sums

Vec = tuple[int, int, int, int]
ZERO: Vec = (0, 0, 0, 0)
FULL = 1000  # 100.0 points, in tenths
# Per dimension, the (earned, on offer) pairs a node's walks can add that no other beats.
Frontier = tuple[tuple[tuple[int, int], ...], ...]
_BLOCKED = frozenset({"blocker"})  # any blocker caps the same way; the names are not shown


class TooManySums(Exception):
    """The distinct point sums outgrew the limit."""


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


class Scorer:
    """``score_sums`` for this scenario, and each dimension's figure cached by its sums."""

    def __init__(self, scenario: Scenario, rubric: Rubric) -> None:
        self.scenario = scenario
        self.rubric = rubric
        self.mark = scenario.pass_mark if scenario.pass_mark is not None else rubric.pass_mark
        self._dim: dict[tuple[int, int, int], int] = {}

    def bonus(self, ending: str | None) -> Vec:
        """What the ending itself adds to the earned points."""
        points = self.scenario.endings[ending].points if ending else {}
        a, b, c, d = (points.get(dim, 0) for dim in DIMENSIONS)
        return (a, b, c, d)

    def score(self, earned: Vec, offered: Vec, ending: str | None, blocked: bool) -> Score:
        """``score_sums`` of a path's sums (``earned`` includes the ending's points)."""
        return score_sums(
            dict(zip(DIMENSIONS, earned, strict=True)),
            dict(zip(DIMENSIONS, offered, strict=True)),
            self.scenario.endings[ending].outcome if ending else None,
            _BLOCKED if blocked else (),
            self.rubric,
            self.mark,
            finished=ending is not None,
        )

    def dim(self, d: int, earned: int, offered: int) -> int:
        """One dimension's figure, in tenths, for these sums."""
        key = (d, earned, offered)
        found = self._dim.get(key)
        if found is None:
            found = self._dim[key] = dimension_tenths(earned, offered)
        return found

    def total(self, earned: Vec, offered: Vec, ending: str | None, blocked: bool) -> int:
        """The score in tenths from the cached dimension figures (see ``check``)."""
        raw = sum(self.dim(d, earned[d], offered[d]) for d in range(len(DIMENSIONS)))
        return min(raw, self.cap(ending, blocked))

    def passes(self, total: int, ending: str | None, blocked: bool) -> bool:
        return ending is not None and self.cap(ending, blocked) == FULL and total >= self.mark * 10

    def check(self, earned: Vec, offered: Vec, ending: str | None, blocked: bool) -> bool:
        """Whether ``total`` and ``passes`` agree with ``score_sums`` on these sums."""
        s = self.score(earned, offered, ending, blocked)
        t = self.total(earned, offered, ending, blocked)
        return round(s.total * 10) == t and s.passed == self.passes(t, ending, blocked)

    def cap(self, ending: str | None, blocked: bool) -> int:
        """The most a path with this ending can score, in tenths."""
        cap = FULL
        if ending:
            outcome = self.scenario.endings[ending].outcome
            if outcome in self.rubric.outcome_caps:
                cap = min(cap, self.rubric.outcome_caps[outcome] * 10)
        if blocked:
            cap = min(cap, self.rubric.blocker_cap * 10)
        return cap


# Bounds: per node, the caps its walks can end under and the unbeaten pairs.


class Bounds(NamedTuple):  # a tuple: folds make one per reply of the graph
    cap: int  # highest (or lowest) cap over the walks (tenths; FULL when uncapped)
    front: Frontier  # pairs no other pair beats for a high (or low) score
    # What every pair still has to be moved by (earned, on offer per dimension): the
    # replies before a node add the same to all its pairs, so that waits for a merge.
    earned: Vec = ZERO
    offered: Vec = ZERO


def _frontier(
    moved: list[tuple[tuple[tuple[int, int], ...], int, int]], high: bool
) -> tuple[tuple[int, int], ...]:
    """Keep the pairs no other beats, of the pairs of each (frontier, earned, on offer)
    moved by those points. With something on offer a dimension's figure rises with earned
    and falls with offered; with nothing on offer (offered 0) it depends on earned alone,
    so that group keeps its own best."""
    best0: int | None = None
    rest: list[tuple[int, int]] = []
    for front, de, da in moved:
        for x, y in front:
            e, a = x + de, y + da
            if a == 0:
                if best0 is None or (e > best0 if high else e < best0):
                    best0 = e
            elif high:
                rest.append((a, -e))  # least on offer first, most earned first
            else:
                rest.append((-a, e))  # most on offer first, least earned first
    kept: list[tuple[int, int]] = [] if best0 is None else [(best0, 0)]
    rest.sort()
    if high:
        top: int | None = None
        for a, ne in rest:
            if top is None or -ne > top:
                kept.append((-ne, a))
                top = -ne
    else:
        bottom: int | None = None
        for na, e in rest:
            if bottom is None or e < bottom:
                kept.append((e, -na))
                bottom = e
    return tuple(kept)


def _corner(
    moved: list[tuple[tuple[tuple[int, int], ...], int, int]], high: bool
) -> tuple[tuple[int, int], ...]:
    """A looser and cheaper frontier: per group (nothing on offer, something on offer) one
    pair at least as good as all of its pairs, such as no walk need have: the most earned
    with the least on offer (or the reverse for a low score). Written out per direction,
    without min and max: it runs four times per node of the graph."""
    best0: int | None = None
    best_e: int | None = None
    best_a = 0
    for front, de, da in moved:
        for x, y in front:
            e, a = x + de, y + da
            if a == 0:
                if best0 is None or (e > best0 if high else e < best0):
                    best0 = e
            elif best_e is None:
                best_e, best_a = e, a
            elif high:
                best_e = max(best_e, e)
                best_a = min(best_a, a)
            else:
                best_e = min(best_e, e)
                best_a = max(best_a, a)
    if best_e is None:
        return () if best0 is None else ((best0, 0),)
    return ((best_e, best_a),) if best0 is None else ((best0, 0), (best_e, best_a))


def bounds_folder(
    graph: Graph, scorer: Scorer, *, high: bool, coarse: bool = False
) -> Folder[Bounds]:
    """Per node, what bounds the highest (``high``) or the lowest score of its walks;
    ``coarse``: bounds that are looser but much cheaper to fold (``_corner``)."""
    keep = _corner if coarse else _frontier

    def leaf(ending: str) -> Bounds:
        return Bounds(scorer.cap(ending, False), tuple(((x, 0),) for x in scorer.bonus(ending)))

    cut = Bounds(FULL, tuple(((0, 0),) for _ in DIMENSIONS))
    blocker_cap = scorer.cap(None, True)
    pick = max if high else min

    def along(edge: Edge, b: Bounds) -> Bounds:
        cap = min(b.cap, blocker_cap) if edge.blocked else b.cap
        return Bounds(cap, b.front, _add(b.earned, edge.earned), _add(b.offered, edge.offered))

    def merge(items: list[Bounds]) -> Bounds:
        if len(items) == 1:
            return items[0]  # a moved frontier is still one: the move can wait longer
        per_dim = tuple(
            keep([(b.front[d], b.earned[d], b.offered[d]) for b in items], high)
            for d in range(len(DIMENSIONS))
        )
        return Bounds(pick(b.cap for b in items), per_dim)

    return Folder(graph, leaf=leaf, cut=lambda: cut, along=along, merge=merge)


def count_folder(graph: Graph) -> Folder[int]:
    return Folder(graph, leaf=lambda _e: 1, cut=lambda: 1, along=lambda _e, n: n, merge=sum)


@dataclass(frozen=True, slots=True)
class Extreme:
    total: float
    replies: tuple[str, ...]
    ending: str | None


# Nodes the search may open with the coarse bounds before it folds the exact frontiers.
COARSE_BUDGET = 20_000


def extreme(graph: Graph, scorer: Scorer, *, high: bool) -> Extreme:
    """The highest (or lowest) score over every path, and a path that gets it.

    First the greedy path; then branch and bound with the coarse bounds, cheap to fold,
    which often find the best possible score (100, or 0) at once or prove the greedy path
    best; only if that search outgrows ``COARSE_BUDGET`` nodes are the exact frontiers
    folded and the search made again with them, from the best score found so far."""
    max_depth = graph.max_depth
    nodes = graph.nodes
    best: list[Extreme] = []
    best_t = [-1 if high else FULL + 1]
    pick = max if high else min
    blocker_cap = scorer.cap(None, True)

    def better(t: int) -> bool:
        return t > best_t[0] if high else t < best_t[0]

    def leaf(nid: int, pe: Vec, pa: Vec, blocked: bool, replies: tuple[str, ...]) -> None:
        ending = nodes[nid].ending
        s = scorer.score(_add(pe, scorer.bonus(ending)), pa, ending, blocked)
        t = round(s.total * 10)
        if better(t) or not best:
            best[:] = [Extreme(s.total, replies, ending)]
            best_t[0] = t

    # First one path, taking at every node the reply that earns the most (or least): its
    # score is very often the best possible one (100, or 0), and then nothing is left to
    # prove. Otherwise it is the score to beat.
    nid, left, pe, pa, blocked = graph.root, max_depth, ZERO, ZERO, False
    replies: tuple[str, ...] = ()
    while nodes[nid].ending is None and left > 0:
        edge = pick(nodes[nid].edges, key=lambda e: sum(e.earned))
        pe, pa, blocked = _add(pe, edge.earned), _add(pa, edge.offered), blocked or edge.blocked
        nid, left, replies = edge.child, left - 1, (*replies, edge.label)
    leaf(nid, pe, pa, blocked, replies)
    absolute = FULL if high else 0

    def search(bounds: Folder[Bounds], budget: int | None) -> bool:
        """Depth-first over every path, most promising reply first, leaving out the
        replies after which no path can beat the best score found so far; False if it
        stopped at ``budget`` nodes opened."""

        def bound(nid: int, left: int, pe: Vec, pa: Vec, blocked: bool) -> int:
            b = bounds.value(nid, left)
            pe, pa = _add(pe, b.earned), _add(pa, b.offered)
            raw = sum(
                pick(scorer.dim(d, pe[d] + x, pa[d] + y) for x, y in b.front[d])
                for d in range(len(DIMENSIONS))
            )
            return min(raw, min(b.cap, blocker_cap) if blocked else b.cap)

        seen: set[tuple[object, ...]] = set()
        stack: list[tuple[int, int, Vec, Vec, bool, tuple[str, ...]]] = [
            (graph.root, max_depth, ZERO, ZERO, False, ())
        ]
        while stack and best_t[0] != absolute:
            nid, left, pe, pa, blocked, replies = stack.pop()
            node = nodes[nid]
            if node.ending is not None or left <= 0:
                leaf(nid, pe, pa, blocked, replies)
                continue
            if not better(bound(nid, left, pe, pa, blocked)):
                continue
            key = (nid, left if graph.longest[nid] > left else None, pe, pa, blocked)
            if key in seen:
                continue
            if budget is not None and len(seen) >= budget:
                return False
            seen.add(key)
            children = []
            for i, edge in enumerate(node.edges):
                ce, ca = _add(pe, edge.earned), _add(pa, edge.offered)
                cb = blocked or edge.blocked
                t = bound(edge.child, left - 1, ce, ca, cb)
                if better(t):
                    children.append((t, i, edge, ce, ca, cb))
            # Pushed so that the most promising (then the first authored) is popped first.
            children.sort(key=lambda c: (c[0] if high else -c[0], -c[1]))
            for _t, _i, edge, ce, ca, cb in children:
                stack.append((edge.child, left - 1, ce, ca, cb, (*replies, edge.label)))
        return True

    if best_t[0] != absolute and not search(
        bounds_folder(graph, scorer, high=high, coarse=True), COARSE_BUDGET
    ):
        search(bounds_folder(graph, scorer, high=high), None)
    return best[0]


# The exact distribution.

_BIAS = 1 << 15
_MASK16 = (1 << 16) - 1
_MASK32 = (1 << 32) - 1
_MASK64 = (1 << 64) - 1
# (ending, blocker used) -> packed sums -> paths. Dimension d's sums sit in bits
# [32d, 32d + 32): earned + 2**15 in the low half, on offer + 2**15 in the high half,
# so adding two packings adds every sum, and a dimension is read with one mask.
Dist = dict[tuple[str | None, bool], dict[int, int]]


def _pack(earned: Vec, offered: Vec) -> int:
    return sum(
        (earned[d] << (32 * d)) + (offered[d] << (32 * d + 16)) for d in range(len(DIMENSIONS))
    )


_PACK_BIAS = _pack((_BIAS, _BIAS, _BIAS, _BIAS), (_BIAS, _BIAS, _BIAS, _BIAS))


@dataclass
class Histogram:
    scores: dict[float, int]  # total -> paths
    passing: int


def distribution(graph: Graph, scorer: Scorer, limit: int) -> Histogram:
    """Every path's score, counted; raises ``TooManySums`` past ``limit`` entries folded."""
    sc = scorer.scenario
    work = [0]
    largest = max(
        [
            abs(v)
            for s in sc.states.values()
            for c in s.choices
            for v in graph.plot.points[(s.id, c.id)].values()
        ]
        + [abs(v) for e in sc.endings.values() for v in e.points.values()]
        + [0]
    )
    if largest * (graph.max_depth + 1) >= _BIAS:
        raise TooManySums  # the packing would overflow: estimate instead

    def leaf(ending: str) -> Dist:
        return {(ending, False): {_PACK_BIAS + _pack(scorer.bonus(ending), ZERO): 1}}

    cut: Dist = {(None, False): {_PACK_BIAS: 1}}

    def along(edge: Edge, dist: Dist) -> Dist:
        shift = _pack(edge.earned, edge.offered)
        out: Dist = {}
        for (ending, blocked), sums in dist.items():
            work[0] += len(sums)
            if work[0] > limit:
                raise TooManySums
            moved = {p + shift: n for p, n in sums.items()}
            group = (ending, blocked or edge.blocked)
            target = out.get(group)
            if target is None:
                out[group] = moved
            else:  # a blocker merges the blocked and the clean walks
                for p, n in moved.items():
                    target[p] = target.get(p, 0) + n
        return out

    def merge(items: list[Dist]) -> Dist:
        # ``along`` made every item afresh: the largest of each group takes in the rest.
        if len(items) == 1:
            return items[0]
        out: Dist = {}
        for dist in sorted(items, key=lambda d: -sum(len(v) for v in d.values())):
            for group, sums in dist.items():
                target = out.get(group)
                if target is None:
                    out[group] = sums
                    continue
                work[0] += len(sums)
                get = target.get
                for p, n in sums.items():
                    target[p] = get(p, 0) + n
        if work[0] > limit:
            raise TooManySums
        return out

    folder = Folder(graph, leaf=leaf, cut=lambda: cut, along=along, merge=merge)
    root = folder.value(graph.root, graph.max_depth)
    return _score_dist(root, scorer)


def _unpack(p: int) -> tuple[Vec, Vec]:
    e = tuple(((p >> (32 * d)) & _MASK16) - _BIAS for d in range(4))
    a = tuple(((p >> (32 * d + 16)) & _MASK16) - _BIAS for d in range(4))
    return e, a  # type: ignore[return-value]


def _score_dist(root: Dist, scorer: Scorer) -> Histogram:
    mark = scorer.mark * 10
    scores: dict[float, int] = {}
    passing = 0
    sample: list[tuple[int, str | None, bool, int]] = []
    for (ending, blocked), sums in root.items():
        cap = scorer.cap(ending, blocked)
        clean = ending is not None and cap == FULL
        # Two dimensions per lookup: packed sums of dimensions 0-1 (2-3) -> their tenths.
        low: dict[int, int] = {}
        high: dict[int, int] = {}
        for p, n in sums.items():
            a, b = p & _MASK64, p >> 64
            fa = low.get(a)
            if fa is None:
                fa = low[a] = _pair(scorer, 0, a)
            fb = high.get(b)
            if fb is None:
                fb = high[b] = _pair(scorer, 2, b)
            raw = fa + fb
            total = min(raw, cap)
            scores[total / 10] = scores.get(total / 10, 0) + n
            passed = clean and total >= mark
            if passed:
                passing += n
            if len(sample) < 64 and (len(sample) < 8 or n % 7 == 0):
                sample.append((p, ending, blocked, total * 2 + passed))
    if all(_exact(p, ending, blocked, scorer) == got for p, ending, blocked, got in sample):
        return Histogram(scores, passing)
    # The rubric no longer adds up dimension by dimension: score every entry in full.
    scores, passing = {}, 0
    for (ending, blocked), sums in root.items():
        for p, n in sums.items():
            earned, offered = _unpack(p)
            s = scorer.score(earned, offered, ending, blocked)
            scores[s.total] = scores.get(s.total, 0) + n
            passing += n if s.passed else 0
    return Histogram(scores, passing)


def _pair(scorer: Scorer, d: int, chunk: int) -> int:
    """Tenths of dimensions d and d+1 from their 64 bits of packed sums."""
    lo, hi = chunk & _MASK32, chunk >> 32
    return scorer.dim(d, (lo & _MASK16) - _BIAS, (lo >> 16) - _BIAS) + scorer.dim(
        d + 1, (hi & _MASK16) - _BIAS, (hi >> 16) - _BIAS
    )


def _exact(p: int, ending: str | None, blocked: bool, scorer: Scorer) -> int:
    e, a = _unpack(p)
    s = scorer.score(e, a, ending, blocked)
    return round(s.total * 10) * 2 + s.passed


def draw(
    graph: Graph, counts: Folder[int], seed: int, n: int
) -> Iterator[tuple[Vec, Vec, str | None, bool]]:
    """``n`` paths drawn uniformly at random over every path (seeded): their sums (earned
    without the ending's points), ending and whether they used a blocker. A path is
    drawn by its rank among all paths, walked down with the exact path counts."""
    nodes = graph.nodes
    total = counts.value(graph.root, graph.max_depth)
    # Per (node, replies left): the running path counts of its replies, to bisect.
    running: dict[tuple[int, int], list[int]] = {}
    for i in range(n):
        x = _below(total, seed, str(i))
        nid, left = graph.root, graph.max_depth
        pe, pa, blocked = ZERO, ZERO, False
        while nodes[nid].ending is None and left > 0:
            edges = nodes[nid].edges
            cum = running.get((nid, left))
            if cum is None:
                cum = running[(nid, left)] = list(
                    itertools.accumulate(counts.value(e.child, left - 1) for e in edges)
                )
            j = bisect.bisect_right(cum, x)
            x -= cum[j - 1] if j else 0
            edge = edges[j]
            pe, pa = _add(pe, edge.earned), _add(pa, edge.offered)
            blocked = blocked or edge.blocked
            nid, left = edge.child, left - 1
        yield pe, pa, nodes[nid].ending, blocked


def _below(n: int, seed: int, *parts: str) -> int:
    """A seeded number in range(n), for any size of n (64 bits more than n needs)."""
    if n <= 1:
        return 0
    x, bits, word = 0, 0, 0
    while bits < n.bit_length() + 64:
        h = hashlib.blake2b(digest_size=64, person=b"calldrill-draw")
        h.update(f"{seed}\x1f{word}\x1f".encode() + "\x1f".join(parts).encode())
        x = (x << 512) | int.from_bytes(h.digest(), "big")
        bits, word = bits + 512, word + 1
    return x % n

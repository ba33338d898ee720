"""The four-dimension score of a call (domain §15), explained in docs/scoring.md.

Each dimension is the share of the points on offer that the trainee's replies earned,
turn by turn, scaled to 25. A reply that costs points in a dimension eats into what the
other replies earned there. Outcome and blocker caps then keep a failed call from passing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from simulator.engine.call import Call
from simulator.engine.turn import Turn
from simulator.scenario.model import DIMENSIONS, Ending, Rubric, TagDef

DIMENSION_MAX = 25


@dataclass(frozen=True, slots=True)
class Score:
    dimensions: dict[str, float]  # 0..25 each, one decimal
    raw_total: float  # before caps
    total: float  # 0..100, one decimal
    pass_mark: int
    passed: bool
    finished: bool
    outcome: str | None
    caps: tuple[str, ...] = ()  # what capped the score: "outcome:<type>", "blocker:<tag>"
    earned: dict[str, int] = field(default_factory=dict)
    available: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimensions": dict(self.dimensions),
            "raw_total": self.raw_total,
            "total": self.total,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "finished": self.finished,
            "outcome": self.outcome,
            "caps": list(self.caps),
            "earned": dict(self.earned),
            "available": dict(self.available),
        }


def _one_decimal(x: Fraction) -> float:
    # Round half up on exact fractions, so the same call scores the same everywhere.
    return float(Fraction(int(x * 10 + Fraction(1, 2)), 10))


def dimension_tenths(earned: int, available: int) -> int:
    """One dimension's figure in tenths, rounded half up, as ``score_sums`` shows it: 25 ×
    the share of what was on offer that was earned (kept within 0..1), or with nothing
    on offer 25 less what was lost. Integer arithmetic, exact: path exploration asks
    for thousands of these, and a Fraction costs tens of microseconds."""
    if available > 0:
        share = min(available, max(0, earned))
        # floor(10 × 25 × share / available + 1/2), over a common denominator.
        return (20 * DIMENSION_MAX * share + available) // (2 * available)
    return 10 * min(DIMENSION_MAX, max(0, DIMENSION_MAX + earned))


def score_turns(
    turns: Sequence[Turn],
    ending: Ending | None,
    rubric: Rubric,
    tags: Mapping[str, TagDef],
    pass_mark: int | None = None,
) -> Score:
    earned = dict.fromkeys(DIMENSIONS, 0)
    available = dict.fromkeys(DIMENSIONS, 0)
    for turn in turns:
        for dim in DIMENSIONS:
            earned[dim] += turn.points.get(dim, 0)
            available[dim] += max(turn.available.get(dim, 0), 0)
    if ending is not None:
        for dim, value in ending.points.items():
            earned[dim] += value
    blockers = {t for turn in turns for t in turn.tags if tags[t].blocker}
    return score_sums(
        earned,
        available,
        ending.outcome if ending else None,
        blockers,
        rubric,
        pass_mark,
        finished=ending is not None,
    )


def score_sums(
    earned: Mapping[str, int],
    available: Mapping[str, int],
    outcome: str | None,
    blockers: Iterable[str],
    rubric: Rubric,
    pass_mark: int | None = None,
    *,
    finished: bool,
) -> Score:
    """The score from the call's point sums: what ``score_turns`` and path exploration share."""
    tenths = {d: dimension_tenths(earned[d], available[d]) for d in DIMENSIONS}
    rounded = {d: t / 10 for d, t in tenths.items()}
    # The total is the sum of the dimensions as shown, so the figures always add up.
    raw = Fraction(sum(tenths.values()), 10)
    total = raw
    caps: list[str] = []
    if outcome is not None and outcome in rubric.outcome_caps:
        caps.append(f"outcome:{outcome}")
        total = min(total, Fraction(rubric.outcome_caps[outcome]))
    for tag in sorted(set(blockers)):
        caps.append(f"blocker:{tag}")
        total = min(total, Fraction(rubric.blocker_cap))
    mark = rubric.pass_mark if pass_mark is None else pass_mark
    total_f = _one_decimal(total)
    return Score(
        dimensions=rounded,
        raw_total=_one_decimal(raw),
        total=total_f,
        pass_mark=mark,
        passed=finished and not caps and total_f >= mark,
        finished=finished,
        outcome=outcome,
        caps=tuple(caps),
        earned=dict(earned),
        available=dict(available),
    )


def score_call(call: Call) -> Score:
    """Score a ``simulator.engine.Call`` as it stands (finished or not)."""
    plot = call.plot
    return score_turns(call.turns, call.ending, plot.rubric, plot.tags, call.scenario.pass_mark)

"""The instructor's view of a class's drills: per trainee, per group, per scenario, and
how well each observer's sheet agrees with the engine (docs/drills.md).

Observer scores are 1–5 per dimension; they are put on the engine's 0–25 by
(s − 1) × 6.25 before any comparison, and a round's "observer total" is the sum of the
four mapped dimensions (0–100, like the engine's total before caps).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import TYPE_CHECKING

from simulator.scenario.model import DIMENSIONS

if TYPE_CHECKING:
    from simulator.store.drills import RoundRecord

# Half a sheet step (6.25 / 2): a bias beyond it means the observer's marks land on
# another step of the sheet than the engine's, on average.
BIAS_LIMIT = 3.125
WEAKEST = 3
MIN_CHANCES = 2


def _scale(score: float) -> float:
    return (score - 1) * 6.25


def _mean(values: Sequence[float]) -> float | None:
    return round(fmean(values), 1) if values else None


@dataclass
class TraineeRow:
    name: str
    as_agent: int = 0
    as_customer: int = 0
    as_observer: int = 0
    engine: list[float] = field(default_factory=list)
    observed: list[float] = field(default_factory=list)
    weakest: list[tuple[str, int, int]] = field(default_factory=list)  # tag, hits, chances

    @property
    def engine_mean(self) -> float | None:
        return _mean(self.engine)

    @property
    def observed_mean(self) -> float | None:
        return _mean(self.observed)


@dataclass
class GroupRow:
    name: str
    members: tuple[str, ...]
    rounds: int = 0
    over_runs: int = 0
    engine: list[float] = field(default_factory=list)
    observed: list[float] = field(default_factory=list)

    @property
    def engine_mean(self) -> float | None:
        return _mean(self.engine)

    @property
    def observed_mean(self) -> float | None:
        return _mean(self.observed)


@dataclass
class ScenarioRow:
    scenario_id: str
    rounds: int = 0
    engine: list[float] = field(default_factory=list)
    observed: list[float] = field(default_factory=list)
    dims: dict[str, list[float]] = field(default_factory=lambda: {d: [] for d in DIMENSIONS})

    @property
    def engine_mean(self) -> float | None:
        return _mean(self.engine)

    @property
    def observed_mean(self) -> float | None:
        return _mean(self.observed)


@dataclass
class CalibrationRow:
    observer: str
    sheets: int = 0
    diffs: list[float] = field(default_factory=list)  # observer − engine, per dimension
    per_dim: dict[str, list[float]] = field(default_factory=lambda: {d: [] for d in DIMENSIONS})

    @property
    def mad(self) -> float | None:
        return _mean([abs(d) for d in self.diffs])

    @property
    def bias(self) -> float | None:
        return _mean(self.diffs)

    @property
    def verdict(self) -> str:
        bias = self.bias
        if bias is None:
            return ""
        if bias > BIAS_LIMIT:
            return "too_kind"
        if bias < -BIAS_LIMIT:
            return "too_harsh"
        return "fair"


@dataclass
class ClassSummary:
    class_name: str | None
    rounds: int
    drills: int
    trainees: list[TraineeRow]
    groups: list[GroupRow]
    scenarios: list[ScenarioRow]
    calibration: list[CalibrationRow]


def summarise(
    rounds: Sequence[RoundRecord],
    skills: Mapping[int, Mapping[str, tuple[int, int]]],
    class_name: str | None = None,
) -> ClassSummary:
    """``skills``: per attempt id, per tag, (chances, hits) from the store."""
    trainees: dict[str, TraineeRow] = {}
    groups: dict[str, GroupRow] = {}
    scenarios: dict[str, ScenarioRow] = {}
    calibration: dict[str, CalibrationRow] = {}
    skill_sum: dict[str, dict[str, list[int]]] = defaultdict(dict)

    def person(name: str) -> TraineeRow:
        return trainees.setdefault(name, TraineeRow(name))

    for r in rounds:
        for name in r.members:
            person(name)
        person(r.agent).as_agent += 1
        person(r.customer).as_customer += 1
        person(r.observer).as_observer += 1
        group = groups.setdefault(r.group, GroupRow(r.group, r.members))
        group.rounds += 1
        group.over_runs += r.over_ms > 0
        scenario = scenarios.setdefault(r.scenario_id, ScenarioRow(r.scenario_id))
        scenario.rounds += 1
        observed = sum(_scale(r.sheet.scores[d]) for d in DIMENSIONS) if r.sheet else None
        if r.engine_total is not None:
            person(r.agent).engine.append(r.engine_total)
            group.engine.append(r.engine_total)
            scenario.engine.append(r.engine_total)
        if r.engine is not None:
            for d in DIMENSIONS:
                scenario.dims[d].append(r.engine[d])
        if observed is not None:
            person(r.agent).observed.append(observed)
            group.observed.append(observed)
            scenario.observed.append(observed)
        if r.sheet is not None:
            cal = calibration.setdefault(r.observer, CalibrationRow(r.observer))
            cal.sheets += 1
            if r.engine is not None:
                for d in DIMENSIONS:
                    diff = _scale(r.sheet.scores[d]) - r.engine[d]
                    cal.diffs.append(diff)
                    cal.per_dim[d].append(diff)
        if r.attempt_id is not None:
            mine = skill_sum[r.agent]
            for tag, (chances, hits) in skills.get(r.attempt_id, {}).items():
                total = mine.setdefault(tag, [0, 0])
                total[0] += chances
                total[1] += hits
    for name, row in trainees.items():
        ranked = sorted(
            ((tag, h, c) for tag, (c, h) in skill_sum.get(name, {}).items() if c >= MIN_CHANCES),
            key=lambda x: (x[1] / x[2], -x[2], x[0]),
        )
        row.weakest = [x for x in ranked if x[1] < x[2]][:WEAKEST]
    return ClassSummary(
        class_name=class_name,
        rounds=len(rounds),
        drills=len({r.drill_id for r in rounds}),
        trainees=sorted(trainees.values(), key=lambda x: x.name),
        groups=sorted(groups.values(), key=lambda x: x.name),
        scenarios=sorted(scenarios.values(), key=lambda x: x.scenario_id),
        calibration=sorted(calibration.values(), key=lambda x: (-(x.mad or 0), x.observer)),
    )

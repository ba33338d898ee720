"""What the History and Progress screens (and the library's best scores) read.

Aggregation happens in SQL over small per-attempt rows (``attempts`` and
``skill_stats``), so a trainee with ten thousand attempts is read in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, cast, func, select

from simulator.scenario.model import DIMENSIONS, Scenario, TagDef
from simulator.store.store import FINISHED, Store, _utc
from simulator.store.tables import Attempt, SkillStat


@dataclass(frozen=True, slots=True)
class HistoryRow:
    id: int
    scenario_id: str
    scenario_version: int
    mode: str
    status: str
    started_at: datetime
    elapsed_ms: int
    outcome: str | None
    total: float | None
    passed: bool | None


def history(
    store: Store,
    trainee_id: int,
    *,
    scenario: str | None = None,
    skill: str | None = None,
    limit: int | None = None,
) -> list[HistoryRow]:
    """Attempts newest first; ``skill``: only those where the skill was at stake."""
    q = (
        select(
            Attempt.id,
            Attempt.scenario_id,
            Attempt.scenario_version,
            Attempt.mode,
            Attempt.status,
            Attempt.started_at,
            Attempt.elapsed_ms,
            Attempt.outcome,
            Attempt.total,
            Attempt.passed,
        )
        .where(Attempt.trainee_id == trainee_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    if scenario:
        q = q.where(Attempt.scenario_id == scenario)
    if skill:
        q = q.where(
            Attempt.id.in_(
                select(SkillStat.attempt_id).where(
                    SkillStat.trainee_id == trainee_id,
                    SkillStat.tag == skill,
                    SkillStat.chances > 0,
                )
            )
        )
    if limit:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        HistoryRow(
            r.id,
            r.scenario_id,
            r.scenario_version,
            r.mode,
            r.status,
            _utc(r.started_at) or r.started_at,
            r.elapsed_ms,
            r.outcome,
            r.total,
            r.passed,
        )
        for r in rows
    ]


def best_scores(store: Store, trainee_id: int) -> dict[str, float]:
    """The best total per scenario over this trainee's finished attempts."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(Attempt.scenario_id, func.max(Attempt.total))
            .where(Attempt.trainee_id == trainee_id, Attempt.status == FINISHED)
            .group_by(Attempt.scenario_id)
        ).all()
    return {sid: float(best) for sid, best in rows if best is not None}


@dataclass(frozen=True, slots=True)
class SkillRate:
    tag: str
    chances: int
    hits: int
    misuses: int
    good: bool  # a skill to show (positive points) rather than a habit to avoid

    @property
    def rate(self) -> float:
        return self.hits / self.chances if self.chances else 0.0


@dataclass(frozen=True, slots=True)
class Progress:
    attempts: int
    # One point per finished attempt, oldest first: (when, total, per-dimension scores).
    dimensions: list[tuple[datetime, float, dict[str, float]]]
    skills: list[SkillRate]
    weakest: list[SkillRate]
    # Per weak skill, its hit rate over time: (day, hits, chances).
    skill_trends: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    practise: dict[str, list[str]] = field(default_factory=dict)  # skill -> scenario ids


MIN_CHANCES = 2


def progress(
    store: Store,
    trainee_id: int,
    tags: Mapping[str, TagDef],
    scenarios: Iterable[Scenario] = (),
    *,
    weakest: int = 3,
) -> Progress:
    done = (Attempt.trainee_id == trainee_id) & (Attempt.status == FINISHED)
    with store.engine.connect() as conn:
        dims = conn.execute(
            select(
                Attempt.started_at,
                Attempt.total,
                Attempt.expression,
                Attempt.process,
                Attempt.solving,
                Attempt.emotion,
            )
            .where(done)
            .order_by(Attempt.started_at, Attempt.id)
        ).all()
        sums = conn.execute(
            select(
                SkillStat.tag,
                func.sum(SkillStat.chances),
                func.sum(SkillStat.hits),
                func.sum(SkillStat.misuses),
            )
            .where(SkillStat.trainee_id == trainee_id)
            .group_by(SkillStat.tag)
        ).all()
        skills = [
            SkillRate(
                tag,
                int(c or 0),
                int(h or 0),
                int(m or 0),
                good=tag in tags and sum(tags[tag].points.values()) > 0,
            )
            for tag, c, h, m in sums
        ]
        ranked = sorted(
            (s for s in skills if s.good and s.chances >= MIN_CHANCES),
            key=lambda s: (s.rate, -s.chances, s.tag),
        )
        weak = ranked[:weakest]
        trends: dict[str, list[tuple[str, int, int]]] = {}
        if weak:
            day = func.substr(cast(Attempt.started_at, String), 1, 10)
            rows = conn.execute(
                select(SkillStat.tag, day, func.sum(SkillStat.hits), func.sum(SkillStat.chances))
                .join(Attempt, Attempt.id == SkillStat.attempt_id)
                .where(SkillStat.trainee_id == trainee_id, SkillStat.tag.in_([s.tag for s in weak]))
                .group_by(SkillStat.tag, day)
                .order_by(day)
            ).all()
            for tag, d, h, c in rows:
                trends.setdefault(tag, []).append((str(d), int(h or 0), int(c or 0)))
    points = [
        (
            _utc(r.started_at) or r.started_at,
            float(r.total or 0),
            {d: float(getattr(r, d) or 0) for d in DIMENSIONS},
        )
        for r in dims
    ]
    practise: dict[str, list[str]] = {}
    library = list(scenarios)
    for s in weak:
        practise[s.tag] = sorted(sc.id for sc in library if s.tag in sc.skills)[:3]
    return Progress(
        attempts=len(points),
        dimensions=points,
        skills=sorted(skills, key=lambda s: s.tag),
        weakest=weak,
        skill_trends=trends,
        practise=practise,
    )

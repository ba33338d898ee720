"""What the History and Progress screens (and the library's best scores) read.

Aggregation happens in SQL over small per-attempt rows (``attempts`` and
``skill_stats``), so a trainee with ten thousand attempts is read in milliseconds.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, String, cast, func, select
from sqlalchemy.sql.elements import ColumnElement

from simulator.scenario.model import DIMENSIONS, Scenario, TagDef
from simulator.store.store import FINISHED, Store, _utc
from simulator.store.tables import Attempt, SkillStat, TraineeSkill


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


def played_scenarios(store: Store, trainee_id: int) -> dict[str, int]:
    """How many attempts this trainee has per scenario: History's scenario filter."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(Attempt.scenario_id, func.count())
            .where(Attempt.trainee_id == trainee_id)
            .group_by(Attempt.scenario_id)
        ).all()
    return {sid: int(n) for sid, n in rows}


def practised_skills(store: Store, trainee_id: int) -> list[str]:
    """The skill tags this trainee had a chance to use: what History can filter by."""
    # A loose index scan: one index seek per tag rather than a pass over every row.
    at_stake = (SkillStat.trainee_id == trainee_id) & (SkillStat.chances > 0)
    found = select(func.min(SkillStat.tag).label("tag")).where(at_stake).cte(recursive=True)
    following = (
        select(func.min(SkillStat.tag)).where(at_stake, SkillStat.tag > found.c.tag)
    ).scalar_subquery()
    found = found.union_all(select(following).where(found.c.tag.is_not(None)))
    with store.engine.connect() as conn:
        rows = conn.execute(select(found.c.tag).where(found.c.tag.is_not(None))).all()
    return [tag for (tag,) in rows]


def stored_debrief(store: Store, attempt_id: int) -> dict[str, Any] | None:
    """The debrief saved when the attempt finished (``Debrief.as_dict()``), if any."""
    with store.engine.connect() as conn:
        value = conn.execute(select(Attempt.debrief).where(Attempt.id == attempt_id)).scalar()
    return value if isinstance(value, dict) else None


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
    attempts: int  # finished attempts
    # Oldest first: (when, total, per-dimension scores). One point per finished attempt;
    # past MAX_POINTS attempts, one per day (UTC) with that day's means (``per_day``).
    dimensions: list[tuple[datetime, float, dict[str, float]]]
    skills: list[SkillRate]
    weakest: list[SkillRate]
    # Per weak skill, its hit rate over time: (day, hits, chances).
    skill_trends: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    practise: dict[str, list[str]] = field(default_factory=dict)  # skill -> scenario ids
    per_day: bool = False


MIN_CHANCES = 2
# More points than a chart can show are averaged per day in SQL: a trainee with ten
# thousand attempts costs a few hundred rows, not ten thousand (see bench/bench_store.py).
MAX_POINTS = 300


def _day(conn: Connection) -> ColumnElement[str]:
    """The UTC day of an attempt's start as 'YYYY-MM-DD', computed by the database."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Attempt.started_at), "YYYY-MM-DD")
    # SQLite keeps the UTC time as text that starts with the day.
    return func.substr(cast(Attempt.started_at, String), 1, 10)


def _day_start(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def _ordered(spans: list[tuple[int, int, str]]) -> bool:
    """Whether each day's attempt ids come after the day before's (calls played here;
    an import from another machine may break it)."""
    return all(a[1] < b[0] for a, b in itertools.pairwise(spans))


def _day_by_span(spans: list[tuple[int, int, str]]) -> Callable[[int], str | None]:
    """An attempt's day from the days' id spans: only for ordered spans (see _ordered),
    where every finished attempt of this trainee lies in its own day's span alone."""
    firsts = [first for first, _, _ in spans]

    def day_of(attempt_id: int) -> str | None:
        k = bisect.bisect_right(firsts, attempt_id) - 1
        return spans[k][2] if k >= 0 and attempt_id <= spans[k][1] else None

    return day_of


def progress(
    store: Store,
    trainee_id: int,
    tags: Mapping[str, TagDef],
    scenarios: Iterable[Scenario] = (),
    *,
    weakest: int = 3,
) -> Progress:
    # Every query below is answered from a covering index (migration 0003): the
    # attempt rows themselves, each with its debrief, are never read.
    done = (Attempt.trainee_id == trainee_id) & (Attempt.status == FINISHED)
    scores = [getattr(Attempt, d) for d in DIMENSIONS]
    points: list[tuple[datetime, float, dict[str, float]]] = []
    with store.engine.connect() as conn:
        day = _day(conn)
        finished = int(conn.execute(select(func.count()).where(done)).scalar_one())
        per_day = finished > MAX_POINTS
        day_of: dict[int, str] = {}
        spans: list[tuple[int, int, str]] = []  # per day: its first and last attempt id
        if per_day:
            for d, first, last, total, *dims in conn.execute(
                select(
                    day,
                    func.min(Attempt.id),
                    func.max(Attempt.id),
                    func.avg(Attempt.total),
                    *(func.avg(c) for c in scores),
                )
                .where(done)
                .group_by(day)
                .order_by(day)
            ).all():
                spans.append((int(first), int(last), str(d)))
                per_dim = {k: float(v or 0) for k, v in zip(DIMENSIONS, dims, strict=True)}
                points.append((_day_start(str(d)), float(total or 0), per_dim))
        else:
            for attempt_id, started, total, *dims in conn.execute(
                select(Attempt.id, Attempt.started_at, Attempt.total, *scores)
                .where(done)
                .order_by(Attempt.started_at, Attempt.id)
            ).all():
                when = _utc(started) or started
                day_of[attempt_id] = when.date().isoformat()
                per_dim = {k: float(v or 0) for k, v in zip(DIMENSIONS, dims, strict=True)}
                points.append((when, float(total or 0), per_dim))
        # The totals are kept per trainee as attempts finish (trainee_skills, 0006).
        sums = conn.execute(
            select(TraineeSkill.tag, TraineeSkill.chances, TraineeSkill.hits, TraineeSkill.misuses)
            .where(
                TraineeSkill.trainee_id == trainee_id,
                TraineeSkill.chances + TraineeSkill.misuses > 0,
            )
            .order_by(TraineeSkill.tag)
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
        counts: Sequence[Any] = ()
        if weak:
            counts = conn.execute(
                select(
                    SkillStat.attempt_id, SkillStat.tag, SkillStat.hits, SkillStat.chances
                ).where(
                    SkillStat.trainee_id == trainee_id,
                    SkillStat.tag.in_([s.tag for s in weak]),
                )
            ).all()
            if per_day and not _ordered(spans):
                # The day of each attempt, as text from the index: no datetimes made.
                rows = conn.execute(select(Attempt.id, day).where(done)).all()
                day_of = {i: str(d) for i, d in rows}
    day_by_id = day_of.get if day_of or not per_day else _day_by_span(spans)
    # Per weak skill and day: hits and chances, summed from the rows read above.
    per_tag: dict[str, dict[str, list[int]]] = {}
    for attempt_id, tag, hits, chances in counts:
        d = day_by_id(attempt_id)
        if d is not None:
            acc = per_tag.setdefault(tag, {}).setdefault(d, [0, 0])
            acc[0] += int(hits or 0)
            acc[1] += int(chances or 0)
    trends = {
        tag: [(d, h, c) for d, (h, c) in sorted(days.items())] for tag, days in per_tag.items()
    }
    practise: dict[str, list[str]] = {}
    library = list(scenarios)
    for s in weak:
        practise[s.tag] = sorted(sc.id for sc in library if s.tag in sc.skills)[:3]
    return Progress(
        attempts=finished,
        dimensions=points,
        skills=sorted(skills, key=lambda s: s.tag),
        weakest=weak,
        skill_trends=trends,
        practise=practise,
        per_day=per_day,
    )

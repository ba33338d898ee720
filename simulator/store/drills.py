"""Drills in the store: the drill, each round (the agent's attempt is an ordinary
attempt of their profile, recorded by ``RecordedCall``) and the observer's sheet.

The observer scores each dimension 1–5; ``to_engine_scale`` maps that onto the engine's
0–25 ((s − 1) × 6.25: 1 → 0, 3 → 12.5, 5 → 25) so the two can be compared.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import aliased

from simulator.drill.phases import PhaseTiming
from simulator.drill.rotation import Seats, clean_group
from simulator.scenario.model import DIMENSIONS
from simulator.scenario.text import strip_control
from simulator.store.errors import StoreError
from simulator.store.store import Store
from simulator.store.tables import Attempt, Drill, DrillRound, ObserverSheetRow, SkillStat, Trainee

FOCUS_POINTS: tuple[str, ...] = ("emotion", "solution", "phrasing")
SHEET_MIN, SHEET_MAX = 1, 5
MAX_FOCUS, MAX_NOTE = 500, 4000


def to_engine_scale(score: float) -> float:
    """An observer's 1–5 on the engine's 0–25."""
    return (score - SHEET_MIN) * 25 / (SHEET_MAX - SHEET_MIN)


@dataclass(frozen=True, slots=True)
class ObserverSheet:
    scores: Mapping[str, int]  # per rubric dimension, 1–5
    focus: Mapping[str, str] = field(default_factory=dict)  # per focus point, a remark
    note: str = ""

    def __post_init__(self) -> None:
        missing = [d for d in DIMENSIONS if d not in self.scores]
        if missing:
            raise ValueError(f"the sheet has no score for {', '.join(missing)}")
        for dim, value in self.scores.items():
            if dim not in DIMENSIONS:
                raise ValueError(f"no rubric dimension '{dim}'")
            if not isinstance(value, int) or not SHEET_MIN <= value <= SHEET_MAX:
                raise ValueError(f"{dim}: a score from {SHEET_MIN} to {SHEET_MAX}, not {value!r}")
        for point in self.focus:
            if point not in FOCUS_POINTS:
                raise ValueError(f"no focus point '{point}'")

    def cleaned(self) -> ObserverSheet:
        """Typed text made safe to keep: control characters out, lengths bounded."""
        return ObserverSheet(
            dict(self.scores),
            {k: strip_control(v).strip()[:MAX_FOCUS] for k, v in self.focus.items()},
            strip_control(self.note).strip()[:MAX_NOTE],
        )

    @property
    def on_engine_scale(self) -> dict[str, float]:
        return {d: to_engine_scale(self.scores[d]) for d in DIMENSIONS}


@dataclass(frozen=True, slots=True)
class DrillInfo:
    id: int
    uid: str
    class_name: str | None
    members: tuple[str, ...]
    trainee_ids: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """One stored round, with the agent's engine scores and the observer's sheet."""

    drill_id: int
    drill_uid: str
    class_name: str | None
    members: tuple[str, ...]
    number: int
    scenario_id: str
    agent: str
    customer: str
    observer: str
    also_watching: tuple[str, ...]
    attempt_id: int | None
    engine: dict[str, float] | None  # 0–25 per dimension; None while unfinished
    engine_total: float | None
    outcome: str | None
    sheet: ObserverSheet | None
    timings: tuple[PhaseTiming, ...]
    over_ms: int
    finished_at: datetime

    @property
    def group(self) -> str:
        return " · ".join(self.members)


def start_drill(
    store: Store,
    members: Sequence[str],
    *,
    class_name: str | None = None,
    plan: Mapping[str, Any] | None = None,
    lang: str = "zh",
) -> DrillInfo:
    """Record a new drill; every member gets (or keeps) their profile."""
    group = clean_group(members)
    class_name = strip_control(class_name).strip()[:100] if class_name else None
    ids = {name: store.trainee(name, group=class_name, lang=lang).id for name in group}
    uid = str(uuid.uuid4())
    with store.transaction() as conn:
        drill_id = conn.execute(
            insert(Drill)
            .values(
                uid=uid,
                class_name=class_name or None,
                members=list(group),
                plan=dict(plan or {}),
                started_at=store.now(),
            )
            .returning(Drill.id)
        ).scalar_one()
    return DrillInfo(int(drill_id), uid, class_name or None, group, ids)


def save_round(
    store: Store,
    drill: DrillInfo,
    seats: Seats,
    scenario_id: str,
    *,
    attempt_id: int | None,
    timings: Sequence[PhaseTiming],
    sheet: ObserverSheet | None,
) -> int:
    """Commit one finished round and its sheet in one transaction."""
    ids = drill.trainee_ids
    for person in (seats.agent, seats.customer, seats.observer):
        if person not in ids:
            raise StoreError(f"'{person}' is not in this drill's group")
    now = store.now()
    with store.transaction() as conn:
        round_id = conn.execute(
            insert(DrillRound)
            .values(
                drill_id=drill.id,
                number=seats.number,
                scenario_id=scenario_id,
                attempt_id=attempt_id,
                agent_id=ids[seats.agent],
                customer_id=ids[seats.customer],
                observer_id=ids[seats.observer],
                also_watching=list(seats.also_watching),
                timings=[t.as_dict() for t in timings],
                over_ms=sum(t.over_ms for t in timings),
                finished_at=now,
            )
            .returning(DrillRound.id)
        ).scalar_one()
        if sheet is not None:
            clean = sheet.cleaned()
            conn.execute(
                insert(ObserverSheetRow).values(
                    round_id=round_id,
                    observer_id=ids[seats.observer],
                    focus=dict(clean.focus),
                    note=clean.note or None,
                    submitted_at=now,
                    **{d: clean.scores[d] for d in DIMENSIONS},
                )
            )
    return int(round_id)


def finish_drill(store: Store, drill_id: int) -> None:
    with store.transaction() as conn:
        conn.execute(update(Drill).where(Drill.id == drill_id).values(finished_at=store.now()))


def class_names(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(Drill.class_name).where(Drill.class_name.is_not(None)).distinct()
        ).all()
    return sorted(str(r[0]) for r in rows)


def class_rounds(store: Store, class_name: str | None = None) -> list[RoundRecord]:
    """Every stored round (of one class, if named), oldest drill first."""
    agent, customer, observer = aliased(Trainee), aliased(Trainee), aliased(Trainee)
    sheet = ObserverSheetRow
    query = (
        select(
            Drill.id.label("drill_id"),
            Drill.uid,
            Drill.class_name,
            Drill.members,
            DrillRound.number,
            DrillRound.scenario_id,
            DrillRound.attempt_id,
            DrillRound.also_watching,
            DrillRound.timings,
            DrillRound.over_ms,
            DrillRound.finished_at,
            agent.name.label("agent"),
            customer.name.label("customer"),
            observer.name.label("observer"),
            Attempt.status,
            Attempt.total,
            Attempt.outcome,
            *(getattr(Attempt, d).label(f"e_{d}") for d in DIMENSIONS),
            sheet.round_id.label("sheet"),
            sheet.focus,
            sheet.note,
            *(getattr(sheet, d).label(f"s_{d}") for d in DIMENSIONS),
        )
        .join(DrillRound, DrillRound.drill_id == Drill.id)
        .join(agent, agent.id == DrillRound.agent_id)
        .join(customer, customer.id == DrillRound.customer_id)
        .join(observer, observer.id == DrillRound.observer_id)
        .outerjoin(Attempt, Attempt.id == DrillRound.attempt_id)
        .outerjoin(sheet, sheet.round_id == DrillRound.id)
        .order_by(Drill.started_at, Drill.id, DrillRound.number)
    )
    if class_name is not None:
        query = query.where(Drill.class_name == class_name)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    out = []
    for r in rows:
        finished = r.status == "finished" and r.e_expression is not None
        out.append(
            RoundRecord(
                drill_id=r.drill_id,
                drill_uid=r.uid,
                class_name=r.class_name,
                members=tuple(r.members),
                number=r.number,
                scenario_id=r.scenario_id,
                agent=r.agent,
                customer=r.customer,
                observer=r.observer,
                also_watching=tuple(r.also_watching),
                attempt_id=r.attempt_id,
                engine={d: float(getattr(r, f"e_{d}")) for d in DIMENSIONS} if finished else None,
                engine_total=float(r.total) if finished and r.total is not None else None,
                outcome=r.outcome,
                sheet=(
                    ObserverSheet(
                        {d: int(getattr(r, f"s_{d}")) for d in DIMENSIONS},
                        dict(r.focus),
                        r.note or "",
                    )
                    if r.sheet is not None
                    else None
                ),
                timings=tuple(PhaseTiming.of(t) for t in r.timings),
                over_ms=r.over_ms,
                finished_at=r.finished_at,
            )
        )
    return out


def skill_totals(store: Store, attempt_ids: Sequence[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """Per attempt: per skill tag, (chances, hits) — for the weakest skills."""
    out: dict[int, dict[str, tuple[int, int]]] = {}
    ids = list(attempt_ids)
    with store.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(
                    SkillStat.attempt_id, SkillStat.tag, SkillStat.chances, SkillStat.hits
                ).where(SkillStat.attempt_id.in_(ids[start : start + 500]))
            ).all()
            for r in rows:
                out.setdefault(r.attempt_id, {})[r.tag] = (r.chances, r.hits)
    return out

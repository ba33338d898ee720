"""The store: trainees, attempts and every answered turn, in SQLite or PostgreSQL.

Each write is its own committed transaction, made as it happens: a turn is on disk
before the customer's next line is shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import DatabaseError, IntegrityError

from simulator.engine.turn import Turn
from simulator.scenario.model import DIMENSIONS
from simulator.scoring.rubric import Score
from simulator.store import migrate
from simulator.store.connect import open_engine, write_tx
from simulator.store.errors import StoreError
from simulator.store.location import describe, resolve_url
from simulator.store.skill_totals import add_totals, stored_counts
from simulator.store.skills import skill_counts
from simulator.store.tables import Attempt, SkillStat, Trainee, TurnRow

OPEN, FINISHED, ABANDONED = "open", "finished", "abandoned"


@dataclass(frozen=True, slots=True)
class TraineeInfo:
    id: int
    name: str
    group: str | None
    lang: str


@dataclass(frozen=True, slots=True)
class StoredTurn:
    number: int
    state: str
    choice: str
    shown_as: int
    tags: tuple[str, ...]
    points: dict[str, int]
    score_delta: int
    best: str
    mood_after: dict[str, int]
    next: str
    elapsed_ms: int
    answered_at: datetime
    text: str | None
    # The mood changes as stored; cause "misunderstood": a typed reply before this one
    # that the customer did not understand (free text), replayed on resume.
    changes: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class AttemptInfo:
    id: int
    uid: str
    trainee_id: int
    scenario_id: str
    scenario_version: int
    seed: int
    mode: str
    lang: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    elapsed_ms: int
    time_limit_s: int | None
    outcome: str | None
    total: float | None
    passed: bool | None
    turns: tuple[StoredTurn, ...] = ()

    @property
    def replies(self) -> list[str]:
        return [t.choice for t in self.turns]


def _utc(value: datetime | None) -> datetime | None:
    # SQLite hands naive datetimes back; every stored time is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class Store:
    def __init__(
        self,
        url: str | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        migrate_schema: bool = True,
    ) -> None:
        self.url = resolve_url(url)
        self.now = now or (lambda: datetime.now(UTC))
        self.engine = open_engine(self.url)
        if migrate_schema:
            try:
                migrate.upgrade(self.engine)
            except DatabaseError as exc:
                self.engine.dispose()
                raise StoreError(
                    f"cannot open the store at {describe(self.url)}: {exc.orig}"
                ) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        try:
            with write_tx(self.engine) as conn:
                yield conn
        except IntegrityError:
            raise
        except DatabaseError as exc:
            raise StoreError(f"the store at {describe(self.url)} failed: {exc.orig}") from None

    # Trainees.

    def trainee(
        self, name: str, *, group: str | None = None, lang: str = "zh", create: bool = True
    ) -> TraineeInfo:
        """The profile called ``name``; made if it does not exist (and ``create``)."""
        name = name.strip()
        if not name:
            raise StoreError("a trainee needs a name")
        found = self.find_trainee(name)
        if found is not None or not create:
            if found is None:
                raise StoreError(f"no trainee called '{name}'")
            return found
        try:
            with self.transaction() as conn:
                conn.execute(
                    insert(Trainee).values(
                        name=name, group_name=group, lang=lang, created_at=self.now()
                    )
                )
        except IntegrityError:
            pass  # made by another process a moment ago
        found = self.find_trainee(name)
        assert found is not None
        return found

    def find_trainee(self, name: str) -> TraineeInfo | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(Trainee.id, Trainee.name, Trainee.group_name, Trainee.lang).where(
                    Trainee.name == name.strip()
                )
            ).first()
        return TraineeInfo(row.id, row.name, row.group_name, row.lang) if row else None

    def trainees(self) -> list[TraineeInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Trainee.id, Trainee.name, Trainee.group_name, Trainee.lang).order_by(
                    Trainee.name
                )
            ).all()
        return [TraineeInfo(r.id, r.name, r.group_name, r.lang) for r in rows]

    # Attempts: the write path of a live call.

    def start_attempt(
        self,
        trainee_id: int,
        scenario_id: str,
        scenario_version: int,
        seed: int,
        *,
        mode: str,
        lang: str,
        time_limit_s: int | None = None,
        uid: str | None = None,
    ) -> AttemptInfo:
        values = {
            "uid": uid or str(uuid.uuid4()),
            "trainee_id": trainee_id,
            "scenario_id": scenario_id,
            "scenario_version": scenario_version,
            "seed": seed,
            "mode": mode,
            "lang": lang,
            "status": OPEN,
            "started_at": self.now(),
            "elapsed_ms": 0,
            "time_limit_s": time_limit_s,
        }
        with self.transaction() as conn:
            attempt_id = conn.execute(
                insert(Attempt).values(**values).returning(Attempt.id)
            ).scalar_one()
        info = self.attempt(int(attempt_id))
        assert info is not None
        return info

    def record_turn(
        self,
        attempt_id: int,
        turn: Turn,
        elapsed_ms: int,
        *,
        best_tags: tuple[str, ...] = (),
        text: str | None = None,
    ) -> None:
        """Commit one answered reply (and the call's elapsed time) before returning."""
        row = turn_row(attempt_id, turn, elapsed_ms, self.now(), best_tags, text)
        with self.transaction() as conn:
            conn.execute(insert(TurnRow).values(**row))
            conn.execute(
                update(Attempt).where(Attempt.id == attempt_id).values(elapsed_ms=elapsed_ms)
            )

    def undo_turn(self, attempt_id: int, number: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                delete(TurnRow).where(TurnRow.attempt_id == attempt_id, TurnRow.number >= number)
            )

    def heartbeat(self, attempt_id: int, elapsed_ms: int) -> None:
        """Keep the elapsed time of an open call, so a resumed exam keeps its budget."""
        with self.transaction() as conn:
            conn.execute(
                update(Attempt)
                .where(Attempt.id == attempt_id, Attempt.status == OPEN)
                .values(elapsed_ms=elapsed_ms)
            )

    def finish_attempt(
        self,
        attempt_id: int,
        *,
        ending: str | None,
        score: Score,
        elapsed_ms: int,
        debrief: Mapping[str, Any] | None = None,
    ) -> None:
        with self.transaction() as conn:
            tr = conn.execute(
                select(Attempt.trainee_id).where(Attempt.id == attempt_id)
            ).scalar_one()
            conn.execute(
                update(Attempt)
                .where(Attempt.id == attempt_id)
                .values(
                    status=FINISHED,
                    finished_at=self.now(),
                    elapsed_ms=elapsed_ms,
                    outcome=score.outcome,
                    ending=ending,
                    total=score.total,
                    passed=score.passed,
                    debrief=dict(debrief) if debrief is not None else None,
                    **{d: score.dimensions[d] for d in DIMENSIONS},
                )
            )
            rows = conn.execute(
                select(TurnRow.tags, TurnRow.best_tags).where(TurnRow.attempt_id == attempt_id)
            ).all()
            counts = skill_counts((r.tags, r.best_tags) for r in rows)
            before_tr, before = stored_counts(conn, attempt_id)
            if before_tr is not None:
                add_totals(conn, before_tr, before, sign=-1)
            conn.execute(delete(SkillStat).where(SkillStat.attempt_id == attempt_id))
            if counts:
                conn.execute(
                    insert(SkillStat),
                    [
                        {"attempt_id": attempt_id, "trainee_id": tr, "tag": tag, **c}
                        for tag, c in counts.items()
                    ],
                )
                add_totals(conn, tr, counts)

    def abandon(self, attempt_id: int) -> None:
        """The trainee left the call on purpose: it is kept, but not offered for resuming."""
        with self.transaction() as conn:
            conn.execute(
                update(Attempt)
                .where(Attempt.id == attempt_id, Attempt.status == OPEN)
                .values(status=ABANDONED, finished_at=self.now())
            )

    # Reading.

    def attempt(self, attempt_id: int, *, with_turns: bool = True) -> AttemptInfo | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(*_ATTEMPT_COLS).where(Attempt.id == attempt_id)).first()
            if row is None:
                return None
            turns = _turns(conn, attempt_id) if with_turns else ()
        return _attempt_info(row, turns)

    def open_attempts(self, trainee_id: int) -> list[AttemptInfo]:
        """Calls this trainee started and neither finished nor left: resumable."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(*_ATTEMPT_COLS)
                .where(Attempt.trainee_id == trainee_id, Attempt.status == OPEN)
                .order_by(Attempt.started_at.desc(), Attempt.id.desc())
            ).all()
            return [_attempt_info(r, _turns(conn, r.id)) for r in rows]

    def count_attempts(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(Attempt)).scalar_one())


_ATTEMPT_COLS = (
    Attempt.id,
    Attempt.uid,
    Attempt.trainee_id,
    Attempt.scenario_id,
    Attempt.scenario_version,
    Attempt.seed,
    Attempt.mode,
    Attempt.lang,
    Attempt.status,
    Attempt.started_at,
    Attempt.finished_at,
    Attempt.elapsed_ms,
    Attempt.time_limit_s,
    Attempt.outcome,
    Attempt.total,
    Attempt.passed,
)


def _attempt_info(row: Any, turns: tuple[StoredTurn, ...]) -> AttemptInfo:
    started = _utc(row.started_at)
    assert started is not None
    return AttemptInfo(
        id=row.id,
        uid=row.uid,
        trainee_id=row.trainee_id,
        scenario_id=row.scenario_id,
        scenario_version=row.scenario_version,
        seed=row.seed,
        mode=row.mode,
        lang=row.lang,
        status=row.status,
        started_at=started,
        finished_at=_utc(row.finished_at),
        elapsed_ms=row.elapsed_ms,
        time_limit_s=row.time_limit_s,
        outcome=row.outcome,
        total=row.total,
        passed=row.passed,
        turns=turns,
    )


def _turns(conn: Connection, attempt_id: int) -> tuple[StoredTurn, ...]:
    rows = conn.execute(
        select(
            TurnRow.number,
            TurnRow.state,
            TurnRow.choice,
            TurnRow.shown_as,
            TurnRow.tags,
            TurnRow.points,
            TurnRow.score_delta,
            TurnRow.best,
            TurnRow.mood_after,
            TurnRow.next,
            TurnRow.elapsed_ms,
            TurnRow.answered_at,
            TurnRow.text,
            TurnRow.changes,
        )
        .where(TurnRow.attempt_id == attempt_id)
        .order_by(TurnRow.number)
    ).all()
    out = []
    for r in rows:
        answered = _utc(r.answered_at)
        assert answered is not None
        out.append(
            StoredTurn(
                number=r.number,
                state=r.state,
                choice=r.choice,
                shown_as=r.shown_as,
                tags=tuple(r.tags),
                points=dict(r.points),
                score_delta=r.score_delta,
                best=r.best,
                mood_after=dict(r.mood_after),
                next=r.next,
                elapsed_ms=r.elapsed_ms,
                answered_at=answered,
                text=r.text,
                changes=tuple(r.changes or ()),
            )
        )
    return tuple(out)


def turn_row(
    attempt_id: int,
    turn: Turn,
    elapsed_ms: int,
    answered_at: datetime,
    best_tags: tuple[str, ...],
    text: str | None,
) -> dict[str, Any]:
    return {
        "attempt_id": attempt_id,
        "number": turn.number,
        "state": turn.state,
        "phase": turn.phase,
        "concern": turn.concern,
        "choice": turn.choice,
        "shown_as": turn.shown_as,
        "offered": list(turn.offered),
        "tags": list(turn.tags),
        "points": dict(turn.points),
        "score_delta": sum(turn.points.values()),
        "best": turn.best,
        "best_tags": list(best_tags),
        "mood_after": dict(turn.mood_after),
        "changes": [{"var": c.var, "delta": c.delta, "cause": c.cause} for c in turn.changes],
        "next": turn.next,
        "elapsed_ms": int(elapsed_ms),
        "answered_at": answered_at,
        "text": text,
    }

"""Exam attempts in the store: every answer saved as it is given, resume after a crash
with the same items, order and time left, and no second attempt unless allowed.

``open_exam`` is what a front end calls: it resumes the candidate's open attempt or
starts a new one (when the blueprint and the instructor allow it), and returns an
``Exam`` whose every change is committed before the call returns.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from simulator import __version__
from simulator.assessment.exam import Exam, RestoreError
from simulator.assessment.model import Bank, Blueprint
from simulator.scenario.model import Lang, Library
from simulator.store.errors import StoreError
from simulator.store.store import Store
from simulator.store.tables import ExamAnswer, ExamAttempt

OPEN, FINISHED, ABANDONED = "open", "finished", "abandoned"


class ExamLocked(StoreError):
    """The candidate has used every attempt this blueprint allows."""


class ExamResumeError(StoreError):
    """The open attempt cannot be taken up again (its blueprint, bank or scenarios changed)."""


@dataclass(frozen=True, slots=True)
class ExamAttemptInfo:
    id: int
    uid: str
    candidate: str
    blueprint_id: str
    blueprint_sha256: str
    bank_sha256: str
    seed: str
    lang: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    current_section: int
    sections: dict[str, Any]
    plan: dict[str, Any]
    passed: bool | None
    total_percent: str | None
    retake_allowed: bool
    result: dict[str, Any] | None


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


_COLS = (
    ExamAttempt.id,
    ExamAttempt.uid,
    ExamAttempt.candidate,
    ExamAttempt.blueprint_id,
    ExamAttempt.blueprint_sha256,
    ExamAttempt.bank_sha256,
    ExamAttempt.seed,
    ExamAttempt.lang,
    ExamAttempt.status,
    ExamAttempt.started_at,
    ExamAttempt.finished_at,
    ExamAttempt.current_section,
    ExamAttempt.sections,
    ExamAttempt.plan,
    ExamAttempt.passed,
    ExamAttempt.total_percent,
    ExamAttempt.retake_allowed,
    ExamAttempt.result,
)


def _info(row: Any) -> ExamAttemptInfo:
    started = _utc(row.started_at)
    assert started is not None
    return ExamAttemptInfo(
        id=row.id,
        uid=row.uid,
        candidate=row.candidate,
        blueprint_id=row.blueprint_id,
        blueprint_sha256=row.blueprint_sha256,
        bank_sha256=row.bank_sha256,
        seed=row.seed,
        lang=row.lang,
        status=row.status,
        started_at=started,
        finished_at=_utc(row.finished_at),
        current_section=row.current_section,
        sections=dict(row.sections),
        plan=dict(row.plan),
        passed=row.passed,
        total_percent=row.total_percent,
        retake_allowed=bool(row.retake_allowed),
        result=dict(row.result) if row.result is not None else None,
    )


class ExamStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    # Reading.

    def attempt(self, attempt_id: int) -> ExamAttemptInfo | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(*_COLS).where(ExamAttempt.id == attempt_id)).first()
        return _info(row) if row else None

    def attempts(
        self, candidate: str | None = None, blueprint_id: str | None = None
    ) -> list[ExamAttemptInfo]:
        query = select(*_COLS).order_by(ExamAttempt.started_at, ExamAttempt.id)
        if candidate is not None:
            query = query.where(ExamAttempt.candidate == candidate)
        if blueprint_id is not None:
            query = query.where(ExamAttempt.blueprint_id == blueprint_id)
        with self.store.engine.connect() as conn:
            return [_info(r) for r in conn.execute(query).all()]

    def open_attempt(self, candidate: str, blueprint_id: str) -> ExamAttemptInfo | None:
        found = [a for a in self.attempts(candidate, blueprint_id) if a.status == OPEN]
        return found[-1] if found else None

    def answers(self, attempt_id: int) -> dict[str, Any]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(ExamAnswer.item_key, ExamAnswer.value).where(
                    ExamAnswer.attempt_id == attempt_id
                )
            ).all()
        return {r.item_key: r.value["value"] for r in rows}

    def attempts_left(self, candidate: str, blueprint: Blueprint) -> int:
        """Attempts the candidate may still start: the blueprint's allowance plus one for
        each attempt an instructor has allowed a retake after, minus those used."""
        done = [
            a for a in self.attempts(candidate, blueprint.id) if a.status in (FINISHED, ABANDONED)
        ]
        return blueprint.attempts + sum(a.retake_allowed for a in done) - len(done)

    def snapshot(self, info: ExamAttemptInfo) -> dict[str, Any]:
        """The attempt as an ``Exam.snapshot()``: what ``Exam.restore`` rebuilds."""
        return {
            "format": 1,
            "plan": info.plan,
            "lang": info.lang,
            "started_at": info.started_at.astimezone(UTC).replace(microsecond=0).isoformat(),
            "finished_at": None,
            "current": info.current_section,
            "sections": info.sections,
            "answers": self.answers(info.id),
        }

    # Writing: each is its own committed transaction.

    def start(self, exam: Exam, *, uid: str | None = None) -> ExamAttemptInfo:
        plan = exam.plan
        snap = exam.snapshot()
        values = {
            "uid": uid or str(uuid.uuid4()),
            "candidate": plan.candidate,
            "blueprint_id": plan.blueprint_id,
            "blueprint_sha256": plan.blueprint_digest,
            "bank_sha256": plan.bank_digest,
            "seed": plan.seed,
            "lang": exam.lang,
            "status": OPEN,
            "started_at": exam.started_at,
            "current_section": exam.index,
            "sections": snap["sections"],
            "plan": snap["plan"],
            "retake_allowed": False,
            "calldrill_version": __version__,
        }
        with self.store.transaction() as conn:
            attempt_id = conn.execute(
                insert(ExamAttempt).values(**values).returning(ExamAttempt.id)
            ).scalar_one()
        info = self.attempt(int(attempt_id))
        assert info is not None
        return info

    def record_answer(
        self, attempt_id: int, section: str, key: str, value: Any, elapsed_ms: int
    ) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                delete(ExamAnswer).where(
                    ExamAnswer.attempt_id == attempt_id, ExamAnswer.item_key == key
                )
            )
            if value is not None:
                conn.execute(
                    insert(ExamAnswer).values(
                        attempt_id=attempt_id,
                        section=section,
                        item_key=key,
                        value={"value": value},
                        elapsed_ms=int(elapsed_ms),
                        answered_at=self.store.now(),
                    )
                )
            self._progress(conn, attempt_id, None, None, section, elapsed_ms)

    def record_progress(
        self, attempt_id: int, current: int, sections: Mapping[str, Mapping[str, Any]]
    ) -> None:
        with self.store.transaction() as conn:
            self._progress(conn, attempt_id, current, sections, None, 0)

    def _progress(
        self,
        conn: Any,
        attempt_id: int,
        current: int | None,
        sections: Mapping[str, Mapping[str, Any]] | None,
        section: str | None,
        elapsed_ms: int,
    ) -> None:
        if sections is None:
            # An answer also keeps its section's clock.
            stored = conn.execute(
                select(ExamAttempt.sections).where(ExamAttempt.id == attempt_id)
            ).scalar_one()
            merged = {k: dict(v) for k, v in dict(stored).items()}
            if section in merged:
                merged[section]["elapsed_ms"] = max(
                    int(merged[section].get("elapsed_ms", 0)), int(elapsed_ms)
                )
            values: dict[str, Any] = {"sections": merged}
        else:
            values = {"sections": {k: dict(v) for k, v in sections.items()}}
        if current is not None:
            values["current_section"] = current
        conn.execute(
            update(ExamAttempt)
            .where(ExamAttempt.id == attempt_id, ExamAttempt.status == OPEN)
            .values(**values)
        )

    def finish(self, attempt_id: int, result: Mapping[str, Any]) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                update(ExamAttempt)
                .where(ExamAttempt.id == attempt_id)
                .values(
                    status=FINISHED,
                    finished_at=self.store.now(),
                    passed=bool(result["passed"]),
                    total_percent=str(result["total"]["percent"]),
                    result=dict(result),
                    current_section=len(result["sections"]),
                )
            )

    def abandon(self, attempt_id: int) -> None:
        """An instructor ends an open attempt (it counts as used)."""
        with self.store.transaction() as conn:
            conn.execute(
                update(ExamAttempt)
                .where(ExamAttempt.id == attempt_id, ExamAttempt.status == OPEN)
                .values(status=ABANDONED, finished_at=self.store.now())
            )

    def allow_retake(self, candidate: str, blueprint_id: str) -> ExamAttemptInfo:
        """An instructor lets the candidate sit the exam once more."""
        done = [
            a for a in self.attempts(candidate, blueprint_id) if a.status in (FINISHED, ABANDONED)
        ]
        if not done:
            raise StoreError(
                f"'{candidate}' has no finished attempt at '{blueprint_id}' to allow a retake after"
            )
        last = next((a for a in reversed(done) if not a.retake_allowed), None)
        if last is None:
            raise StoreError(f"'{candidate}' may already sit '{blueprint_id}' once more")
        with self.store.transaction() as conn:
            conn.execute(
                update(ExamAttempt).where(ExamAttempt.id == last.id).values(retake_allowed=True)
            )
        info = self.attempt(last.id)
        assert info is not None
        return info

    def count(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(ExamAttempt)).scalar_one())


class StoreSink:
    """An ExamSink that commits every answer and every change of section to the store."""

    def __init__(self, exams: ExamStore, attempt_id: int) -> None:
        self.exams = exams
        self.attempt_id = attempt_id

    def answered(self, section: str, key: str, value: Any, elapsed_ms: int) -> None:
        self.exams.record_answer(self.attempt_id, section, key, value, elapsed_ms)

    def progressed(self, current: int, sections: dict[str, dict[str, Any]]) -> None:
        self.exams.record_progress(self.attempt_id, current, sections)

    def completed(self, result: dict[str, Any]) -> None:
        self.exams.finish(self.attempt_id, result)


@dataclass(frozen=True, slots=True)
class OpenedExam:
    exam: Exam
    attempt: ExamAttemptInfo
    resumed: bool


def open_exam(
    store: Store,
    blueprint: Blueprint,
    bank: Bank,
    library: Library,
    candidate: str,
    *,
    seed: str | None = None,
    lang: Lang = "zh",
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], datetime] | None = None,
) -> OpenedExam:
    """The candidate's open attempt resumed, or a new one started.

    A resumed attempt keeps its own seed (``seed`` is ignored), items, order and time
    used. A new attempt needs an attempt left (``ExamLocked`` otherwise); without a
    ``seed`` it gets a random one, so no one can work the exam out beforehand.
    """
    from simulator.assessment.draw import DrawError, candidate_id  # noqa: PLC0415

    exams = ExamStore(store)
    try:
        cand = candidate_id(candidate)
    except DrawError as exc:
        raise StoreError(str(exc)) from None
    waiting = exams.open_attempt(cand, blueprint.id)
    if waiting is not None:
        try:
            exam = Exam.restore(
                exams.snapshot(waiting),
                blueprint,
                bank,
                library,
                clock=clock,
                now=now,
                sink=StoreSink(exams, waiting.id),
            )
            exam.attempt_uid = waiting.uid
        except RestoreError as exc:
            raise ExamResumeError(
                f"the open attempt of '{cand}' cannot be resumed: {exc}; an instructor can "
                "end it (`calldrill exam abandon`) and allow a retake"
            ) from None
        if exam.finished:
            # Killed between the last answer and saving the result: save it now.
            exams.finish(waiting.id, exam.result())
            raise ExamLocked(f"'{cand}' has finished '{blueprint.id}'; the result is saved")
        return OpenedExam(exam, waiting, True)
    if exams.attempts_left(cand, blueprint) <= 0:
        raise ExamLocked(
            f"'{cand}' has used every attempt at '{blueprint.id}'; an instructor can allow "
            "another with `calldrill exam allow`"
        )
    try:
        exam = Exam.new(
            blueprint,
            bank,
            library,
            cand,
            seed or secrets.token_hex(6),
            lang=lang,
            clock=clock,
            now=now,
        )
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    info = exams.start(exam)
    exam.sink = StoreSink(exams, info.id)
    exam.attempt_uid = info.uid
    return OpenedExam(exam, info, False)

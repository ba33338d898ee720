"""The stored tables (SQLAlchemy 2). Alembic migrations in ``migrations/`` create them.

Every change to these classes needs a migration; ``tests/test_store_migrations.py``
fails when the migrated schema and these models drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Trainee(Base):
    """A profile: one person who practises (or sits an exam)."""

    __tablename__ = "trainees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    group_name: Mapped[str | None] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Attempt(Base):
    """One try at one scenario. ``status`` is open until the call ends or is abandoned."""

    __tablename__ = "attempts"
    __table_args__ = (
        # Covers what the History and Progress screens read (migration 0003 says why).
        Index(
            "ix_attempts_trainee_scores",
            "trainee_id",
            "started_at",
            "id",
            "status",
            "scenario_id",
            "total",
            "expression",
            "process",
            "solving",
            "emotion",
        ),
        Index("ix_attempts_status", "trainee_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable across machines: imports merge on it and xAPI statement ids derive from it.
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    scenario_id: Mapped[str] = mapped_column(String(64))
    scenario_version: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="open")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)
    time_limit_s: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(32))
    ending: Mapped[str | None] = mapped_column(String(64))
    total: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    expression: Mapped[float | None] = mapped_column(Float)
    process: Mapped[float | None] = mapped_column(Float)
    solving: Mapped[float | None] = mapped_column(Float)
    emotion: Mapped[float | None] = mapped_column(Float)
    debrief: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    origin: Mapped[str | None] = mapped_column(String(64))


class TurnRow(Base):
    """One answered reply, written the moment it is answered."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("attempt_id", "number", name="uq_turns_attempt_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(16))
    concern: Mapped[str | None] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(64))
    shown_as: Mapped[int] = mapped_column(Integer)
    offered: Mapped[list[Any]] = mapped_column(JSON)
    tags: Mapped[list[Any]] = mapped_column(JSON)
    points: Mapped[dict[str, Any]] = mapped_column(JSON)
    score_delta: Mapped[int] = mapped_column(Integer)
    best: Mapped[str] = mapped_column(String(64))
    best_tags: Mapped[list[Any]] = mapped_column(JSON)
    mood_after: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[list[Any]] = mapped_column(JSON)
    next: Mapped[str] = mapped_column(String(64))
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str | None] = mapped_column(Text)


class SkillStat(Base):
    """Per finished attempt and skill tag: the turns where the best reply used the skill
    (chances) and how many of them the trainee's reply used it too (hits). Kept so the
    progress screen reads a few thousand small rows rather than every turn."""

    __tablename__ = "skill_stats"
    __table_args__ = (
        Index(
            "ix_skill_stats_counts", "trainee_id", "tag", "attempt_id", "chances", "hits", "misuses"
        ),
    )

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(48), primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    chances: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)
    misuses: Mapped[int] = mapped_column(Integer)


class ExamAttempt(Base):
    """One candidate's sitting of one exam blueprint (docs/assessment.md).

    ``plan`` is the drawn exam (items, order, call seeds), so a resumed attempt shows
    the very same items; ``sections`` holds each section's status and time used."""

    __tablename__ = "exam_attempts"
    __table_args__ = (Index("ix_exam_attempts_candidate", "candidate", "blueprint_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    candidate: Mapped[str] = mapped_column(String(100))
    blueprint_id: Mapped[str] = mapped_column(String(64))
    blueprint_sha256: Mapped[str] = mapped_column(String(64))
    bank_sha256: Mapped[str] = mapped_column(String(64))
    seed: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    current_section: Mapped[int] = mapped_column(Integer)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    total_percent: Mapped[str | None] = mapped_column(String(16))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # An instructor's leave for one more attempt after this one.
    retake_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    calldrill_version: Mapped[str] = mapped_column(String(32))


class ExamAnswer(Base):
    """The latest answer to one item of an attempt, written the moment it is given (a
    call's answer is its replies so far)."""

    __tablename__ = "exam_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "item_key", name="uq_exam_answers_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("exam_attempts.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(48))
    item_key: Mapped[str] = mapped_column(String(120))
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Drill(Base):
    """One classroom group drill (docs/drills.md): its group, class and plan."""

    __tablename__ = "drills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    class_name: Mapped[str | None] = mapped_column(String(100), index=True)
    members: Mapped[list[Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DrillRound(Base):
    """One round of a drill: who sat where, the agent's attempt, and the phase times."""

    __tablename__ = "drill_rounds"
    __table_args__ = (UniqueConstraint("drill_id", "number", name="uq_drill_rounds_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    scenario_id: Mapped[str] = mapped_column(String(64))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    observer_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    also_watching: Mapped[list[Any]] = mapped_column(JSON)
    timings: Mapped[list[Any]] = mapped_column(JSON)
    over_ms: Mapped[int] = mapped_column(Integer)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ObserverSheetRow(Base):
    """The observer's score sheet of one round: the four dimensions 1–5, the focus
    points, a free note."""

    __tablename__ = "observer_sheets"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("drill_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    observer_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    expression: Mapped[int] = mapped_column(Integer)
    process: Mapped[int] = mapped_column(Integer)
    solving: Mapped[int] = mapped_column(Integer)
    emotion: Mapped[int] = mapped_column(Integer)
    focus: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TraineeSkill(Base):
    """Per trainee and tag, the sums of ``skill_stats``: kept up to date as attempts
    finish or are imported, so the Progress screen reads a few dozen rows, not every
    attempt's counts."""

    __tablename__ = "trainee_skills"

    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("trainees.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(48), primary_key=True)
    chances: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)
    misuses: Mapped[int] = mapped_column(Integer)

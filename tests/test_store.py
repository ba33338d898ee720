"""The store on a real SQLite file and a real PostgreSQL server: the write path of a call,
resume, and the settings that make SQLite crash-safe."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from simulator.engine import CallPlot
from simulator.scenario.library import Library
from simulator.store.errors import StoreError
from simulator.store.recorder import RecordedCall, ResumeError
from simulator.store.store import Store
from tests.conftest import best_pick, play_greedy


def _plot(library: Library, sid: str = "angry-delivery") -> CallPlot:
    return CallPlot(library.scenarios[sid], library.tags, library.rubric)


def test_every_turn_is_stored_as_answered_and_resumes(db_url: str, library: Library) -> None:
    with Store(db_url) as store:
        me = store.trainee("王小明", group="2026春季班")
        assert store.trainee("王小明").id == me.id  # found, not made twice
        rc = RecordedCall.start(store, me.id, _plot(library).new_call(7), mode="exam", lang="zh")
        for n in (1, 2, 1):
            rc.reply_number(n)
        stored = store.open_attempts(me.id)
        assert len(stored) == 1
        assert [t.choice for t in stored[0].turns] == [t.choice for t in rc.call.turns]
        assert stored[0].turns[-1].mood_after == rc.call.mood
        assert [t.score_delta for t in stored[0].turns] == [
            sum(t.points.values()) for t in rc.call.turns
        ]

        again = RecordedCall.resume(store, stored[0], _plot(library))
        assert again.call.state == rc.call.state
        assert again.call.mood == rc.call.mood
        assert [c.id for c in again.call.choices] == [c.id for c in rc.call.choices]
        assert again.call.snapshot() == rc.call.snapshot()

        play_greedy(again.call, best_pick)  # finished outside the recorder: nothing stored
        assert len(store.open_attempts(me.id)[0].turns) == 3


def test_undo_removes_the_turn_and_finish_saves_scores(db_url: str, library: Library) -> None:
    with Store(db_url) as store:
        me = store.trainee("Li Na", lang="en")
        rc = RecordedCall.start(
            store, me.id, _plot(library).new_call(1), mode="practice", lang="en"
        )
        rc.reply_number(2)
        rc.reply_number(1)
        rc.undo()
        assert len(store.attempt(rc.attempt.id).turns) == 1  # type: ignore[union-attr]
        while not rc.call.finished:
            rc.reply(best_pick(rc.call))
        info = store.attempt(rc.attempt.id)
        assert info is not None and info.status == "finished"
        assert info.outcome == rc.call.outcome
        assert [t.choice for t in info.turns] == [t.choice for t in rc.call.turns]
        assert info.total is not None and info.passed is not None
        assert store.open_attempts(me.id) == []
        with store.engine.connect() as conn:
            dims = conn.execute(
                text("SELECT expression, process, solving, emotion, debrief FROM attempts")
            ).one()
            skills = conn.execute(text("SELECT tag, chances, hits FROM skill_stats")).all()
        assert info.total <= sum(dims[:4]) + 0.05  # the dimensions add up, caps aside
        report = json.loads(dims[4]) if isinstance(dims[4], str) else dims[4]
        assert report["service_level"]
        assert skills and all(hits <= chances for _, chances, hits in skills)


def test_leaving_a_call_is_not_offered_for_resume(db_url: str, library: Library) -> None:
    with Store(db_url) as store:
        me = store.trainee("Zhao")
        rc = RecordedCall.start(
            store, me.id, _plot(library).new_call(0), mode="practice", lang="zh"
        )
        rc.reply_number(1)
        rc.abandon()
        assert store.open_attempts(me.id) == []
        assert store.attempt(rc.attempt.id).status == "abandoned"  # type: ignore[union-attr]


def test_resume_refuses_a_changed_scenario(tmp_path: Path, library: Library) -> None:
    with Store(f"sqlite:///{tmp_path / 'db.sqlite3'}") as store:
        me = store.trainee("Qian")
        rc = RecordedCall.start(
            store, me.id, _plot(library).new_call(0), mode="practice", lang="zh"
        )
        rc.reply_number(1)
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE attempts SET scenario_version = 99"))
        with pytest.raises(ResumeError, match="v99"):
            RecordedCall.resume(store, store.open_attempts(me.id)[0], _plot(library))


def test_sqlite_is_wal_and_synchronous_full_on_every_connection(tmp_path: Path) -> None:
    path = tmp_path / "calldrill.sqlite3"
    with Store(f"sqlite:///{path}") as store:
        for _ in range(3):
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            store.engine.dispose()  # the next connect is a new connection
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_bad_locations_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="in-memory"):
        Store("sqlite://")
    with pytest.raises(StoreError, match="unsupported database"):
        Store("mysql://x@localhost/db")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello, this is not a database\n" * 200)
    with pytest.raises(StoreError, match=r"cannot open the store|failed"):
        Store(f"sqlite:///{not_a_db}")


def test_a_typed_reply_is_stored_and_resumed_as_said(tmp_path: Path, library: Library) -> None:
    with Store(f"sqlite:///{tmp_path / 'db.sqlite3'}") as store:
        me = store.trainee("Sun")
        rc = RecordedCall.start(store, me.id, _plot(library).new_call(2), mode="exam", lang="zh")
        first = rc.call.choices[0]
        said = (*first.tags, "vague-promise")
        rc.reply(first.id, tags=said, text="[@click=app.quit]尽快处理")
        (waiting,) = store.open_attempts(me.id)
        assert waiting.turns[0].text == "[@click=app.quit]尽快处理"
        assert waiting.turns[0].tags == said
        again = RecordedCall.resume(store, waiting, _plot(library))
        assert again.call.turns[0].tags == said
        assert again.call.snapshot() == rc.call.snapshot()


def test_skill_totals_follow_finished_and_imported_attempts(
    db_url: str, library: Library, tmp_path: Path
) -> None:
    from simulator.store.merge import merge  # noqa: PLC0415
    from simulator.store.records import iter_records  # noqa: PLC0415

    def sums(store: Store) -> dict[str, tuple[int, int, int]]:
        with store.engine.connect() as conn:
            per_attempt = conn.execute(
                text(
                    "SELECT tag, sum(chances), sum(hits), sum(misuses) FROM skill_stats "
                    "GROUP BY tag"
                )
            ).all()
            kept = conn.execute(
                text("SELECT tag, chances, hits, misuses FROM trainee_skills")
            ).all()
        assert {r[0]: tuple(r[1:]) for r in kept if any(r[1:])} == {
            r[0]: tuple(r[1:]) for r in per_attempt
        }
        return {r[0]: tuple(r[1:]) for r in per_attempt}

    with Store(db_url) as store:
        me = store.trainee("Zhou")
        for seed in (1, 2):
            rc = RecordedCall.start(store, me.id, _plot(library).new_call(seed), mode="practice",
                                    lang="zh")  # fmt: skip
            while not rc.call.finished:
                rc.reply(best_pick(rc.call) if seed == 1 else rc.call.choices[-1].id)
        assert sums(store)
        records = list(iter_records(store))
    with Store(f"sqlite:///{tmp_path / 'other.sqlite3'}") as other:
        opened = [dict(r, status="open", total=None) for r in records]
        merge(other, opened)
        merge(other, records)  # the open copies are replaced by the finished ones
        merge(other, records)  # and nothing is counted twice
        assert sums(other) == sums(Store(db_url))

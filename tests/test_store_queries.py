"""What History and Progress read, on a real SQLite file and a real PostgreSQL server:
the per-day means a long history is averaged into agree with the per-attempt data, and
the filters and skill counts agree with the rows stored."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from simulator.scenario.library import Library
from simulator.scenario.model import DIMENSIONS
from simulator.store import queries
from simulator.store.queries import history, played_scenarios, practised_skills, progress
from simulator.store.skill_totals import recount_totals
from simulator.store.store import Store
from simulator.store.tables import Attempt, SkillStat
from simulator.tui.widgets.score_trend import thin

DAYS = 4
PER_DAY = 80  # 320 finished attempts: past MAX_POINTS, so averaged per day
START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
SKILLS = ("empathy", "paraphrase", "verify-identity")


def _rows(
    trainee_id: int, *, imported: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``imported``: ids no longer follow the time (as after an import from elsewhere)."""
    attempts, stats = [], []
    count = DAYS * PER_DAY
    for i in range(count):
        day, k = divmod(i, PER_DAY)
        attempt_id = (i * 7919) % count + 1 if imported else i + 1
        when = START + timedelta(days=day, minutes=5 * k)
        dims = {d: float((i * (n + 3)) % 26) for n, d in enumerate(DIMENSIONS)}
        attempts.append(
            {
                "id": attempt_id,
                "uid": str(uuid.UUID(int=attempt_id)),
                "trainee_id": trainee_id,
                "scenario_id": "angry-delivery" if i % 3 else "confused-elderly-bill",
                "scenario_version": 1,
                "seed": i,
                "mode": "practice",
                "lang": "zh",
                "status": "finished",
                "started_at": when,
                "finished_at": when + timedelta(minutes=4),
                "elapsed_ms": 240_000,
                "outcome": "resolved",
                "total": sum(dims.values()),
                "passed": sum(dims.values()) >= 80,
                **dims,
            }
        )
        for n, tag in enumerate(SKILLS):
            chances = 1 + (i + n) % 3
            stats.append(
                {
                    "attempt_id": attempt_id,
                    "trainee_id": trainee_id,
                    "tag": tag,
                    "chances": chances if (i + n) % 4 else 0,
                    "hits": min(chances, (i * (n + 1)) % 3) if (i + n) % 4 else 0,
                    "misuses": 0 if (i + n) % 4 else 1,
                }
            )
    return attempts, stats


@pytest.fixture(params=["played here", "imported"])
def filled(
    db_url: str, request: pytest.FixtureRequest
) -> tuple[Store, int, list[dict[str, Any]], list[dict[str, Any]]]:
    store = Store(db_url)
    me = store.trainee("刘洋")
    attempts, stats = _rows(me.id, imported=request.param == "imported")
    with store.engine.begin() as conn:
        conn.execute(insert(Attempt), attempts)
        conn.execute(insert(SkillStat), stats)
        recount_totals(conn, me.id)  # written in bulk, past finish_attempt
    return store, me.id, attempts, stats


def test_a_long_history_is_averaged_per_day_as_the_attempts_say(
    filled: tuple[Store, int, list[dict[str, Any]], list[dict[str, Any]]],
    library: Library,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, me, attempts, _ = filled
    with store:
        daily = progress(store, me, library.tags, library.scenarios.values())
        monkeypatch.setattr(queries, "MAX_POINTS", 10**6)
        each = progress(store, me, library.tags, library.scenarios.values())
    assert daily.per_day and not each.per_day
    assert daily.attempts == each.attempts == DAYS * PER_DAY
    assert len(each.dimensions) == DAYS * PER_DAY
    midnight = START.replace(hour=0)
    assert [p[0] for p in daily.dimensions] == [midnight + timedelta(days=d) for d in range(DAYS)]
    for d, (_, total, dims) in enumerate(daily.dimensions):
        day = attempts[d * PER_DAY : (d + 1) * PER_DAY]
        assert total == pytest.approx(sum(a["total"] for a in day) / PER_DAY)
        for dim in DIMENSIONS:
            assert dims[dim] == pytest.approx(sum(a[dim] for a in day) / PER_DAY)
    # Skills, the weakest and their day-by-day trends do not depend on the averaging.
    assert daily.skills == each.skills
    assert daily.weakest == each.weakest
    assert daily.skill_trends == each.skill_trends
    assert {s.tag for s in daily.weakest} == set(SKILLS)
    for tag, days in daily.skill_trends.items():
        assert [d for d, _, _ in days] == [
            (START + timedelta(days=n)).date().isoformat() for n in range(DAYS)
        ]
        rate = next(s for s in daily.skills if s.tag == tag)
        assert sum(h for _, h, _ in days) == rate.hits
        assert sum(c for _, _, c in days) == rate.chances


def test_history_filters_and_the_lists_they_offer(
    filled: tuple[Store, int, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    store, me, attempts, stats = filled
    with store:
        rows = history(store, me, limit=10)
        assert [r.id for r in rows] == [a["id"] for a in reversed(attempts)][:10]
        assert [r.started_at for r in rows] == sorted((r.started_at for r in rows), reverse=True)
        elderly = history(store, me, scenario="confused-elderly-bill")
        assert {r.id for r in elderly} == {
            a["id"] for a in attempts if a["scenario_id"] == "confused-elderly-bill"
        }
        with_empathy = history(store, me, skill="empathy")
        assert {r.id for r in with_empathy} == {
            s["attempt_id"] for s in stats if s["tag"] == "empathy" and s["chances"]
        }
        assert played_scenarios(store, me) == {
            "angry-delivery": sum(1 for a in attempts if a["scenario_id"] == "angry-delivery"),
            "confused-elderly-bill": len(elderly),
        }
        assert practised_skills(store, me) == sorted(SKILLS)


def test_a_trend_of_many_points_is_thinned_to_run_means() -> None:
    points = [
        (START + timedelta(hours=i), float(i), {d: float(i) / 4 for d in DIMENSIONS})
        for i in range(1000)
    ]
    few = thin(points, 10)
    assert len(few) == 10
    assert [p[1] for p in few] == [i * 100 + 49.5 for i in range(10)]
    assert few[-1][0] == points[-1][0]
    assert thin(points[:5], 10) == points[:5]

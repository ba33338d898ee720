"""Schema migrations: from an empty database, from the first schema with data in it,
and no drift between the migrated schema and the models."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from simulator.store.connect import open_engine
from simulator.store.migrate import HEAD, MIGRATIONS, current_revision, run_alembic
from simulator.store.store import Store
from simulator.store.tables import Base


def test_head_constant_is_the_newest_migration() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_heads() == [HEAD], (
        "a new migration was added: set simulator/store/migrate.py HEAD to its revision"
    )


def test_empty_database_is_migrated_and_matches_the_models(db_url: str) -> None:
    with Store(db_url) as store, store.engine.connect() as conn:
        assert current_revision(conn) == HEAD
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_from_the_first_schema_keeps_and_backfills_data(db_url: str) -> None:
    engine = open_engine(db_url)
    now = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    with engine.begin() as conn:
        run_alembic(conn, "0001")
    with engine.begin() as conn:
        assert current_revision(conn) == "0001"
        conn.execute(
            text("INSERT INTO trainees (id, name, lang, created_at) VALUES (1, '陈静', 'zh', :t)"),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO attempts (id, uid, trainee_id, scenario_id, scenario_version, seed,"
                " mode, lang, status, started_at, elapsed_ms, total, passed)"
                " VALUES (1, 'u-1', 1, 'angry-delivery', 1, 3, 'practice', 'zh', 'finished',"
                " :t, 65000, 72.5, false)"
            ),
            {"t": now},
        )
        for n, tags, best in [
            (1, '["greeting"]', '["greeting", "self-id"]'),
            (2, '["interrupt"]', '["let-finish"]'),
            (3, '["let-finish", "empathy"]', '["let-finish", "empathy"]'),
        ]:
            conn.execute(
                text(
                    "INSERT INTO turns (attempt_id, number, state, phase, choice, shown_as,"
                    " offered, tags, points, score_delta, best, best_tags, mood_after, changes,"
                    " next, elapsed_ms, answered_at) VALUES (1, :n, 's', 'opening', 'c', 1,"
                    " '[]', :tags, '{}', 0, 'b', :best, '{}', '[]', 'x', 1000, :t)"
                ),
                {"n": n, "tags": tags, "best": best, "t": now},
            )
    engine.dispose()

    with Store(db_url) as store, store.engine.connect() as conn:
        assert current_revision(conn) == HEAD
        stats = {
            r.tag: (r.chances, r.hits, r.misuses)
            for r in conn.execute(text("SELECT tag, chances, hits, misuses FROM skill_stats"))
        }
        assert stats == {
            "empathy": (1, 1, 0),
            "greeting": (1, 1, 0),
            "interrupt": (0, 0, 1),
            "let-finish": (2, 1, 0),
            "self-id": (1, 0, 0),
        }
        info = store.attempt(1)
        assert info is not None and info.total == 72.5 and len(info.turns) == 3
        assert info.turns[0].text is None  # the column 0002 added

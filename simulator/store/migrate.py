"""Schema migrations (Alembic), applied when the store is opened.

Opening the store costs one query when the schema is current: Alembic is imported and
run only when the database is behind. Concurrent first starts are safe: on SQLite the
upgrade runs inside one ``BEGIN IMMEDIATE`` transaction, on PostgreSQL under an
advisory lock, so one process migrates and the others then find the schema current.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from simulator.store.connect import write_tx

HEAD = "0006"
MIGRATIONS = Path(__file__).parent / "migrations"
_PG_LOCK = 0x63616C6C  # "call": any constant shared by every calldrill process


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, target: str = "head") -> None:
    with engine.connect() as conn:
        if target == "head" and current_revision(conn) == HEAD:
            return
    with write_tx(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        run_alembic(conn, target)


def run_alembic(conn: Connection, target: str) -> None:
    from alembic import command  # noqa: PLC0415
    from alembic.config import Config  # noqa: PLC0415

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)

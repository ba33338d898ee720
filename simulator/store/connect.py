"""Opening a database: SQLite made crash-safe, PostgreSQL as it comes.

SQLite runs in WAL mode with ``synchronous=FULL``: a committed turn is on disk before
``commit()`` returns, so killing the process at any moment loses no answered reply.
Both settings are checked on every new connection, not assumed. Write transactions
(``write_tx``) start with ``BEGIN IMMEDIATE`` so that concurrent writers queue on the
busy timeout instead of failing on a lock upgrade; reads take no write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from simulator.store.errors import StoreError

BUSY_TIMEOUT_MS = 60_000


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        mode = cur.fetchone()[0]
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA synchronous")
        sync = cur.fetchone()[0]
        cur.execute("PRAGMA foreign_keys = ON")
    finally:
        cur.close()
    if str(mode).lower() != "wal" or int(sync) != 2:
        raise StoreError(
            f"the SQLite file cannot be made crash-safe here (journal_mode={mode}, "
            f"synchronous={sync}); put it on a local disk or pass --db with another file"
        )


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("calldrill_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: committed on success, rolled back on error."""
    with engine.connect() as conn:
        conn.execution_options(calldrill_write=True)
        with conn.begin():
            yield conn


def open_engine(url: str) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if not database or database == ":memory:":
            raise StoreError("the store needs a SQLite file, not an in-memory database")
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            # psycopg 3 is the driver we ship; plain postgresql:// would look for psycopg2.
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return create_engine(url, pool_pre_ping=True)
    raise StoreError(f"unsupported database '{backend}': use a SQLite file or postgresql://")

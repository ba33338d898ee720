"""Nothing answered is ever lost: a call killed with SIGKILL resumes where it stopped,
and twenty processes writing at once lose and duplicate nothing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.engine import CallPlot
from simulator.store.recorder import RecordedCall
from simulator.store.store import Store
from tests.conftest import ROOT, best_pick, play_greedy, run_cli

SID, SEED = "angry-delivery", 5


def _best_numbers(plot: CallPlot) -> list[int]:
    call = play_greedy(plot.new_call(SEED), best_pick)
    return [t.shown_as for t in call.turns]


def _wait_for_turns(db: Path, n: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else proc.returncode
        if db.exists():
            with sqlite3.connect(db, timeout=5) as conn:
                try:
                    if conn.execute("SELECT count(*) FROM turns").fetchone()[0] >= n:
                        return
                except sqlite3.OperationalError:
                    pass  # the schema is still being made
        time.sleep(0.05)
    raise AssertionError(f"the player never stored {n} turns")


def test_sigkill_mid_call_resumes_at_the_next_turn(
    tmp_path: Path, plots: dict[str, CallPlot]
) -> None:
    plot = plots[SID]
    numbers = _best_numbers(plot)
    assert len(numbers) >= 8
    db = tmp_path / "calldrill.sqlite3"
    args = ["--db", str(db), "--lang", "en", "play", SID, "--trainee", "Test Trainee"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", *args, "--seed", str(SEED)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "CALLDRILL_LANG": "en"},
    )
    assert proc.stdin is not None
    proc.stdin.write("".join(f"{n}\n" for n in numbers[:3]).encode())
    proc.stdin.flush()
    _wait_for_turns(db, 3, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM turns").fetchone() == (3,)

    # The stored attempt rebuilds to exactly the call as it stood after three replies.
    reference = plot.new_call(SEED)
    for n in numbers[:3]:
        reference.reply_number(n)
    with Store(f"sqlite:///{db}") as store:
        me = store.trainee("Test Trainee", create=False)
        (waiting,) = store.open_attempts(me.id)
        assert len(waiting.turns) == 3 and waiting.seed == SEED
        rebuilt = RecordedCall.resume(store, waiting, plot).call
        assert rebuilt.snapshot() == reference.snapshot()
        assert [c.id for c in rebuilt.choices] == [c.id for c in reference.choices]

    # A new process resumes at turn 4 and finishes the call as if it had never stopped.
    rest = ",".join(str(n) for n in numbers[3:])
    resumed = run_cli(*args, "--resume", "--replies", rest, "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert "turn 4" in resumed.stdout.split("\n", 1)[0]
    whole = run_cli(
        "--lang", "en", "play", SID, "--seed", str(SEED), "--json",
        "--replies", ",".join(map(str, numbers)),
    )  # fmt: skip
    body = resumed.stdout.split("\n", 1)[1]
    assert json.loads(body) == json.loads(whole.stdout)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, count(*) FROM attempts GROUP BY status").fetchall() == [
            ("finished", 1)
        ]
        assert conn.execute("SELECT count(*) FROM turns").fetchone() == (len(numbers),)


def _writers(url: str, processes: int, each: int) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.store_writer", url, f"writer-{i:02d}", str(each)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]


def _check_all_there(url: str, processes: int, each: int) -> None:
    from sqlalchemy import text  # noqa: PLC0415

    with Store(url) as store, store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT t.name, count(a.id), count(DISTINCT a.uid), "
                "sum(CASE WHEN a.status = 'finished' THEN 1 ELSE 0 END) "
                "FROM attempts a JOIN trainees t ON t.id = a.trainee_id GROUP BY t.name"
            )
        ).all()
        turns = conn.execute(text("SELECT count(*) FROM turns")).scalar_one()
    assert len(rows) == processes
    assert all(n == each and distinct == each and done == each for _, n, distinct, done in rows)
    assert turns == processes * each


@pytest.mark.timeout(900)
def test_twenty_processes_write_to_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    _writers(url, 20, 50)
    _check_all_there(url, 20, 50)
    with sqlite3.connect(tmp_path / "shared.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.timeout(900)
def test_twenty_processes_write_to_postgresql(pg_server: object) -> None:
    from tests.pgserver import PostgresServer  # noqa: PLC0415

    assert isinstance(pg_server, PostgresServer)
    url = pg_server.new_database()
    _writers(url, 20, 50)
    _check_all_there(url, 20, 50)

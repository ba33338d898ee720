"""Shared fixtures: the real bundled library, and the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from simulator.engine import Call, CallPlot
from simulator.scenario.library import Library, bundled_dir, load_library, load_scenario
from tests.pgserver import PostgresServer, postgres_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(bundled_dir())


@pytest.fixture(scope="session")
def plots(library: Library) -> dict[str, CallPlot]:
    return {
        sid: CallPlot(sc, library.tags, library.rubric) for sid, sc in library.scenarios.items()
    }


@pytest.fixture
def make_plot(library: Library, tmp_path: Path) -> Callable[[str, str], CallPlot]:
    """Load a scenario written in a test, through the real loader."""

    def make(scenario_id: str, text: str) -> CallPlot:
        path = tmp_path / f"{scenario_id}.yaml"
        path.write_text(text, encoding="utf-8")
        sc = load_scenario(path, library.tags, library.personas)
        return CallPlot(sc, library.tags, library.rubric)

    return make


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "CALLDRILL_LANG": "en", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def play_greedy(call: Call, pick: Callable[[Call], str], limit: int = 60) -> Call:
    """Play until the call ends, choosing with ``pick``; fails on a call that never ends."""
    for _ in range(limit):
        if call.finished:
            return call
        call.reply(pick(call))
    raise AssertionError(f"{call.scenario.id}: no ending after {limit} replies")


def best_pick(call: Call) -> str:
    return call.plot.best_choice(call.scenario.states[call.state]).id


def worst_pick(call: Call) -> str:
    state = call.scenario.states[call.state]
    return min(state.choices, key=lambda c: sum(call.plot.points[(state.id, c.id)].values())).id


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL: a real SQLite file, and a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'calldrill.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database()

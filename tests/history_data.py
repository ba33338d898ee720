"""A small, deterministic store for the History and Progress tests and snapshots: real
calls played through the real recorder on a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from simulator.engine import Call, CallPlot
from simulator.scenario.model import Library
from simulator.store.recorder import RecordedCall
from simulator.store.store import Store
from tests.conftest import best_pick

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """Store time: one minute per reading, and a day between calls."""

    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        self.at += timedelta(minutes=1)
        return self.at

    def seconds(self) -> float:
        """The recorder's clock: elapsed time follows the store's time."""
        return (self.at - START).total_seconds()

    def next_day(self) -> None:
        self.at = datetime.combine(self.at.date() + timedelta(days=1), START.timetz())


def scripted(*choices: str) -> Callable[[Call], str]:
    """Reply with these choice ids in turn (the ids do not depend on the seed)."""
    return lambda call: choices[len(call.turns)]


@dataclass
class Seeded:
    trainee_id: int
    ids: dict[str, int] = field(default_factory=dict)  # label -> attempt id
    calls: dict[str, Call] = field(default_factory=dict)


def seed(url: str, lib: Library, name: str = "王小明") -> Seeded:
    """Six calls on six days: five finished, one left after two replies; the fifth's
    scenario is then marked as changed (version 99) in the store."""
    clock = Clock()
    with Store(url, now=clock) as store:
        me = store.trainee(name, group="2026春季班")
        out = Seeded(me.id)

        def play(
            label: str,
            sid: str,
            seed_: int,
            mode: str,
            pick: Callable[[Call], str],
            stop_after: int | None = None,
        ) -> None:
            clock.next_day()
            sc = lib.scenarios[sid]
            call = CallPlot(sc, lib.tags, lib.rubric).new_call(seed_)
            rc = RecordedCall.start(
                store,
                me.id,
                call,
                mode=mode,
                lang="zh",
                library=lib.scenarios.values(),
                clock=clock.seconds,
            )
            while not rc.call.finished and (stop_after is None or len(rc.turns) < stop_after):
                rc.reply(pick(rc.call))
            if stop_after is not None:
                rc.abandon()
            out.ids[label] = rc.attempt.id
            out.calls[label] = rc.call

        # Scores rise over the days: 8.3, 34, 49.3, (left), 100, 100.
        play(
            "low",
            "doc-example",
            1,
            "practice",
            scripted("blame-her", "apologise", "paraphrase", "not-my-job"),
        )
        play(
            "exam",
            "doc-example",
            2,
            "exam",
            scripted("blame-her", "apologise", "paraphrase", "firm-date"),
        )
        play(
            "markup",
            "markup-text",
            3,
            "practice",
            scripted("greet-and-ask", "paraphrase", "not-my-job"),
        )
        play(
            "left",
            "doc-example",
            4,
            "practice",
            scripted("greet-and-ask", "paraphrase"),
            stop_after=2,
        )
        play("changed", "markup-text", 5, "exam", best_pick)
        play("best", "doc-example", 6, "practice", best_pick)
        with store.engine.begin() as conn:
            conn.execute(
                text("UPDATE attempts SET scenario_version = 99 WHERE id = :id"),
                {"id": out.ids["changed"]},
            )
    return out

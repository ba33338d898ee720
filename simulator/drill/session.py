"""One drill as it runs: the plan, the round being played, its phase clock and what
each finished round left behind. The TUI drives it; nothing here draws or saves."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.drill.phases import PhaseClock, PhasePlan, PhaseTiming
from simulator.drill.rotation import Seats, plan_rotation


@dataclass
class RoundResult:
    seats: Seats
    scenario_id: str
    timings: list[PhaseTiming]
    sheet: Mapping[str, int] = field(default_factory=dict)  # per dimension, 1–5
    focus: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    engine: Mapping[str, float] = field(default_factory=dict)  # per dimension, 0–25
    engine_total: float | None = None
    outcome: str | None = None
    attempt_id: int | None = None


class DrillRun:
    def __init__(
        self,
        members: Sequence[str],
        scenario_ids: Sequence[str],
        phases: PhasePlan,
        *,
        class_name: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.plan = plan_rotation(members, len(scenario_ids))
        self.members = tuple(members)
        self.scenario_ids = tuple(scenario_ids)
        self.phases = phases
        self.class_name = class_name
        self._clock_fn = clock
        self.index = 0
        self.clock = PhaseClock(phases, clock)
        self.results: list[RoundResult] = []
        # The store's record of this drill (a DrillInfo), when there is a store.
        self.stored: Any = None

    @property
    def seats(self) -> Seats:
        return self.plan[self.index]

    @property
    def scenario_id(self) -> str:
        return self.scenario_ids[self.index]

    @property
    def rounds(self) -> int:
        return len(self.plan)

    @property
    def last_round(self) -> bool:
        return self.index == len(self.plan) - 1

    def finish_round(self) -> RoundResult:
        """Close the running phase; the round's result, with its phase times."""
        self.clock.stop()
        result = RoundResult(self.seats, self.scenario_id, list(self.clock.done))
        self.results.append(result)
        return result

    def next_round(self) -> None:
        if self.last_round:
            raise IndexError("the drill has no more rounds")
        self.index += 1
        self.clock = PhaseClock(self.phases, self._clock_fn)

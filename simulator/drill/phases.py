"""The timed phases of a drill round (domain §15) and the record of how long each took.

Prepare 5 minutes, role-play 8–10 minutes (10 planned: the domain's upper bound, so a
call that runs to 9 minutes is not flagged), peer feedback 3 minutes; the instructor's
comments follow, untimed. A phase may run over: nothing stops it, the over-run is kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

PREPARE, ROLEPLAY, FEEDBACK = "prepare", "roleplay", "feedback"
PHASES: tuple[str, ...] = (PREPARE, ROLEPLAY, FEEDBACK)
DEFAULT_SECONDS: Mapping[str, int] = {PREPARE: 5 * 60, ROLEPLAY: 10 * 60, FEEDBACK: 3 * 60}
MAX_SECONDS = 60 * 60


@dataclass(frozen=True, slots=True)
class PhasePlan:
    """Planned seconds per phase."""

    prepare: int = DEFAULT_SECONDS[PREPARE]
    roleplay: int = DEFAULT_SECONDS[ROLEPLAY]
    feedback: int = DEFAULT_SECONDS[FEEDBACK]

    def __post_init__(self) -> None:
        for phase in PHASES:
            value = getattr(self, phase)
            if not 1 <= value <= MAX_SECONDS:
                raise ValueError(f"the {phase} phase lasts 1 to {MAX_SECONDS} seconds, not {value}")

    def seconds(self, phase: str) -> int:
        return int(getattr(self, phase))

    def as_dict(self) -> dict[str, int]:
        return {p: self.seconds(p) for p in PHASES}


@dataclass(frozen=True, slots=True)
class PhaseTiming:
    phase: str
    planned_s: int
    used_ms: int

    @property
    def over_ms(self) -> int:
        return max(0, self.used_ms - self.planned_s * 1000)

    @property
    def over(self) -> bool:
        return self.over_ms > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "phase": self.phase,
            "planned_s": self.planned_s,
            "used_ms": self.used_ms,
            "over_ms": self.over_ms,
        }

    @classmethod
    def of(cls, data: Mapping[str, object]) -> PhaseTiming:
        return cls(str(data["phase"]), int(str(data["planned_s"])), int(str(data["used_ms"])))


class PhaseClock:
    """Times one phase at a time; ``clock`` is injectable so tests need no sleeping."""

    def __init__(self, plan: PhasePlan, clock: Callable[[], float] = time.monotonic) -> None:
        self.plan = plan
        self._clock = clock
        self.phase: str | None = None
        self._since = 0.0
        self.done: list[PhaseTiming] = []

    def start(self, phase: str) -> None:
        if phase not in PHASES:
            raise ValueError(f"no phase '{phase}'")
        if self.phase is not None:
            self.stop()
        self.phase = phase
        self._since = self._clock()

    def elapsed_s(self) -> float:
        return 0.0 if self.phase is None else self._clock() - self._since

    def remaining_s(self) -> float:
        """Seconds left in the running phase; negative once it runs over."""
        if self.phase is None:
            return 0.0
        return self.plan.seconds(self.phase) - self.elapsed_s()

    def stop(self) -> PhaseTiming | None:
        if self.phase is None:
            return None
        timing = PhaseTiming(
            self.phase, self.plan.seconds(self.phase), round(self.elapsed_s() * 1000)
        )
        self.done.append(timing)
        self.phase = None
        return timing


def countdown(remaining_s: float) -> str:
    """mm:ss left, or +mm:ss over."""
    sign = "" if remaining_s >= 0 else "+"
    whole = int(abs(remaining_s) + (0.999 if remaining_s >= 0 else 0))
    minutes, seconds = divmod(whole, 60)
    return f"{sign}{minutes:02d}:{seconds:02d}"

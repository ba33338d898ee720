"""Which scenario each round plays: the ids given, in turn, or a seeded draw from the
scenarios that match a tier / persona filter (no repeats until the matches run out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from simulator.engine import rng
from simulator.scenario.model import DIFFICULTIES, ScenarioSummary


class ChoiceError(ValueError):
    """The scenarios asked for do not exist, or no scenario matches the filter."""


@dataclass(frozen=True, slots=True)
class ScenarioFilter:
    difficulty: str | None = None
    persona: str | None = None

    def matches(self, summary: ScenarioSummary) -> bool:
        return (self.difficulty is None or summary.difficulty == self.difficulty) and (
            self.persona is None or summary.persona.id == self.persona
        )

    def describe(self) -> str:
        parts = [p for p in (self.difficulty, self.persona) if p]
        return " + ".join(parts) or "any"


def choose_scenarios(
    available: Mapping[str, ScenarioSummary],
    rounds: int,
    *,
    ids: Sequence[str] = (),
    where: ScenarioFilter | None = None,
    seed: int = 0,
) -> list[str]:
    """One scenario id per round."""
    if rounds < 1:
        raise ChoiceError("a drill has at least one round")
    if ids:
        unknown = [i for i in ids if i not in available]
        if unknown:
            raise ChoiceError(f"no scenario '{unknown[0]}' (see `calldrill list`)")
        return [ids[r % len(ids)] for r in range(rounds)]
    where = where or ScenarioFilter()
    if where.difficulty is not None and where.difficulty not in DIFFICULTIES:
        raise ChoiceError(f"no tier '{where.difficulty}': choose one of {', '.join(DIFFICULTIES)}")
    matching = sorted(sid for sid, s in available.items() if where.matches(s))
    if not matching:
        raise ChoiceError(f"no scenario matches the filter ({where.describe()})")
    out: list[str] = []
    cycle = 0
    while len(out) < rounds:
        # A fresh seeded order per pass, so the same seed always gives the same drill.
        drawn = rng.order(seed, matching, matching, "drill", str(cycle))
        if out and len(drawn) > 1 and drawn[0] == out[-1]:
            drawn = [*drawn[1:], drawn[0]]
        out += drawn[: rounds - len(out)]
        cycle += 1
    return out

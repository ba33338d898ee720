"""The role rotation: agent, customer and observer(s), round after round.

Round ``r`` gives the agent's seat to person ``r mod n``; the customer is the person
who was agent the round before (they know the call from the agent's side, so they
can play it straight), and the observer is the one who plays agent next (watching
is their preparation). In a group of four the remaining person is a second observer.
Each role is a cyclic shift of the group, so over any number of rounds everyone plays
each role the same number of times, give or take one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.scenario.text import strip_control

AGENT, CUSTOMER, OBSERVER = "agent", "customer", "observer"
ROLES: tuple[str, ...] = (AGENT, CUSTOMER, OBSERVER)
MIN_GROUP, MAX_GROUP = 3, 4
MAX_ROUNDS = 24
MAX_NAME = 100


class PlanError(ValueError):
    """The group or the number of rounds cannot make a drill."""


@dataclass(frozen=True, slots=True)
class Seats:
    """Who plays what in one round (``number`` is 1-based)."""

    number: int
    agent: str
    customer: str
    observer: str  # fills the observer sheet
    also_watching: tuple[str, ...] = ()  # the fourth member of a group of four

    def role_of(self, person: str) -> str:
        if person == self.agent:
            return AGENT
        if person == self.customer:
            return CUSTOMER
        return OBSERVER

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "agent": self.agent,
            "customer": self.customer,
            "observer": self.observer,
            "also_watching": list(self.also_watching),
        }


def clean_group(names: Sequence[str]) -> tuple[str, ...]:
    """The group's names, stripped and checked: 3–4 different, non-empty names."""
    group = tuple(strip_control(n).strip() for n in names)
    group = tuple(n for n in group if n)
    if not MIN_GROUP <= len(group) <= MAX_GROUP:
        raise PlanError(f"a drill group has {MIN_GROUP} or {MAX_GROUP} people, not {len(group)}")
    too_long = [n for n in group if len(n) > MAX_NAME]
    if too_long:
        raise PlanError(f"a name is longer than {MAX_NAME} characters: {too_long[0][:20]}…")
    seen: set[str] = set()
    for name in group:
        if name.casefold() in seen:
            raise PlanError(f"'{name}' is in the group twice")
        seen.add(name.casefold())
    return group


def plan_rotation(names: Sequence[str], rounds: int) -> list[Seats]:
    group = clean_group(names)
    if not 1 <= rounds <= MAX_ROUNDS:
        raise PlanError(f"a drill has 1 to {MAX_ROUNDS} rounds, not {rounds}")
    n = len(group)
    plan = []
    for r in range(rounds):
        plan.append(
            Seats(
                number=r + 1,
                agent=group[r % n],
                customer=group[(r - 1) % n],
                observer=group[(r + 1) % n],
                also_watching=tuple(group[(r + k) % n] for k in range(2, n - 1)),
            )
        )
    return plan


def role_counts(plan: Sequence[Seats]) -> dict[str, Counter[str]]:
    """Per role, how many rounds each person plays it (second observers not counted)."""
    counts: dict[str, Counter[str]] = {role: Counter() for role in ROLES}
    for seats in plan:
        counts[AGENT][seats.agent] += 1
        counts[CUSTOMER][seats.customer] += 1
        counts[OBSERVER][seats.observer] += 1
    return counts

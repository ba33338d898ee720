"""The typed, immutable model of scenarios, personas, tags and the rubric."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from simulator.scenario import summary as _summary
from simulator.scenario.errors import Problem

# The names the library screen needs live in simulator/scenario/summary.py, so that the
# app's start-up does not build every class here; they stay importable from here.
Lang = _summary.Lang
LANGS = _summary.LANGS
KINDS = _summary.KINDS
DIFFICULTIES = _summary.DIFFICULTIES
Text = _summary.Text
PersonaSummary = _summary.PersonaSummary
ScenarioSummary = _summary.ScenarioSummary
LibraryIndex = _summary.LibraryIndex

DIMENSIONS: tuple[str, ...] = ("expression", "process", "solving", "emotion")
PHASES: tuple[str, ...] = ("opening", "discovery", "resolution", "summary", "closing")
LOOP_STEPS: tuple[str, ...] = ("listen", "feedback", "confirm")
OUTCOMES: tuple[str, ...] = (
    "resolved",
    "resolved-with-follow-up",
    "escalated",
    "transferred",
    "customer-hung-up",
    "agent-ended",
    "complaint-filed",
)


# Conditions: data, never code.


@dataclass(frozen=True, slots=True)
class MoodCond:
    var: str
    at_least: int | None = None
    at_most: int | None = None


@dataclass(frozen=True, slots=True)
class EventCond:
    event: str


@dataclass(frozen=True, slots=True)
class ChoseCond:
    choice: str
    state: str | None = None


@dataclass(frozen=True, slots=True)
class TagUsedCond:
    tag: str
    at_least: int = 1


@dataclass(frozen=True, slots=True)
class VisitedCond:
    """The call has been in ``state`` at least ``at_least`` times, the current visit
    included: the second time round a loop can end differently from the first."""

    state: str
    at_least: int = 1


@dataclass(frozen=True, slots=True)
class TurnCond:
    at_least: int | None = None
    at_most: int | None = None


@dataclass(frozen=True, slots=True)
class AllCond:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyCond:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class NotCond:
    item: Condition


Condition = (
    MoodCond
    | EventCond
    | ChoseCond
    | TagUsedCond
    | VisitedCond
    | TurnCond
    | AllCond
    | AnyCond
    | NotCond
)


# Scenarios.


@dataclass(frozen=True, slots=True)
class Branch:
    next: str
    when: Condition | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: Text
    tags: tuple[str, ...]
    feedback: Text
    branches: tuple[Branch, ...]
    points: Mapping[str, int] = field(default_factory=dict)
    mood: Mapping[str, int] = field(default_factory=dict)
    sets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class State:
    id: str
    phase: str
    lines: tuple[Text, ...]
    choices: tuple[Choice, ...]
    concern: str | None = None

    def choice(self, choice_id: str) -> Choice:
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise KeyError(choice_id)


@dataclass(frozen=True, slots=True)
class Ending:
    id: str
    outcome: str
    lines: tuple[Text, ...]
    summary: Text
    points: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Concern:
    id: str
    summary: Text


# Personas.


@dataclass(frozen=True, slots=True)
class MoodVar:
    id: str
    start: int
    min: int
    max: int
    label: Text
    good: Literal["low", "high"]


@dataclass(frozen=True, slots=True)
class Reaction:
    tag: str
    mood: Mapping[str, int]
    because: Text
    when: Condition | None = None


@dataclass(frozen=True, slots=True)
class Threshold:
    when: Condition
    event: str


@dataclass(frozen=True, slots=True)
class Interjection:
    id: str
    every: int
    reset_by: tuple[str, ...]
    lines: tuple[Text, ...]
    mood: Mapping[str, int]
    because: Text


@dataclass(frozen=True, slots=True)
class Persona:
    id: str
    name: Text
    signs: Text
    handling: Text
    mood: Mapping[str, MoodVar]
    reactions: tuple[Reaction, ...]
    thresholds: tuple[Threshold, ...] = ()
    interjections: tuple[Interjection, ...] = ()

    @property
    def events(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.event for t in self.thresholds))


# Shared vocabulary.


@dataclass(frozen=True, slots=True)
class TagDef:
    id: str
    name: Text
    explain: Text
    points: Mapping[str, int]
    loop: str | None = None
    phase: str | None = None
    better: Text | None = None
    blocker: bool = False


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    name: Text
    criteria: Text


@dataclass(frozen=True, slots=True)
class Rubric:
    pass_mark: int
    dimensions: Mapping[str, Dimension]
    outcome_caps: Mapping[str, int]
    blocker_cap: int


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    version: int
    title: Text
    kind: str
    persona: Persona
    difficulty: str
    skills: tuple[str, ...]
    brief: Text
    goal: Text
    customer: Mapping[str, Text]
    concerns: tuple[Concern, ...]
    start: str
    states: Mapping[str, State]
    endings: Mapping[str, Ending]
    on_persona_event: Mapping[str, str]
    pass_mark: int | None = None
    three_yes_goal: Text | None = None
    source: str = ""

    def node_ids(self) -> tuple[str, ...]:
        return (*self.states, *self.endings)


@dataclass
class Library:
    root: Path
    tags: dict[str, TagDef]
    rubric: Rubric
    personas: dict[str, Persona]
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, scenario_id: str) -> Scenario:
        return self.scenarios[scenario_id]

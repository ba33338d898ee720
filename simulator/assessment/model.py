"""The typed, immutable model of the question bank and of exam blueprints (docs/assessment.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from simulator.scenario.errors import Mark
from simulator.scenario.model import Text

TOPICS: dict[str, Text] = {
    "call-phases": Text("通话流程与标准用语", "Call phases and standard phrases"),
    "listening-loop": Text("倾听—反馈—确认", "Listen, feedback, confirm"),
    "questioning": Text("提问与追问", "Questioning"),
    "three-yes": Text("3Yes 模式及其伦理", "The 3-Yes pattern and its ethics"),
    "customer-types": Text("典型客户心态", "Customer types"),
    "abnormal-complaints": Text("异常诉求", "Abnormal complaints"),
    "complaint-handling": Text("投诉处理与升级", "Complaint handling and escalation"),
    "language": Text("禁用语与替代表达", "Forbidden phrases and better ones"),
    "service-levels": Text("五个服务层级", "The five service levels"),
    "tickets": Text("工单记录", "Tickets"),
    "transfers": Text("转接", "Transfers"),
    "privacy": Text("信息安全与隐私", "Privacy and data protection"),
    "kpis": Text("绩效指标", "Performance targets (KPIs)"),
}
ITEM_KINDS: tuple[str, ...] = ("single", "multiple", "true-false", "short")
TIERS: tuple[str, ...] = ("basic", "intermediate", "advanced")
SECTION_KINDS: tuple[str, ...] = ("theory", "ticket", "simulation", "situational")
CALL_KINDS: tuple[str, ...] = ("simulation", "situational")
MULTIPLE_SCORING: tuple[str, ...] = ("all-or-nothing", "partial")
OVERALL_RULES: tuple[str, ...] = ("every-section", "weighted")


# The question bank.


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    text: Text
    correct: bool = False


@dataclass(frozen=True, slots=True)
class KeyPoint:
    text: Text
    keywords: Mapping[str, tuple[str, ...]]  # lang -> keywords


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    topic: str
    kind: str
    tier: str
    points: int
    source: str
    question: Text
    explanation: Text
    options: tuple[Option, ...] = ()
    answer: bool | None = None  # true-false only
    key_points: tuple[KeyPoint, ...] = ()
    pass_points: int = 0  # short only
    path: Path = field(default=Path(), compare=False)
    mark: Mark = field(default=Mark(1, 1), compare=False)

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.correct)


@dataclass(frozen=True, slots=True)
class Bank:
    items: Mapping[str, Item]
    files: tuple[Path, ...]
    digest: str  # sha256 over the files' names and bytes: what a result names

    def by_topic(self, topic: str) -> list[Item]:
        return [i for i in self.items.values() if i.topic == topic]


# Blueprints.


@dataclass(frozen=True, slots=True)
class Draw:
    """How a section's items are chosen.

    Theory: from the bank by ``topics``, ``kinds`` and per-tier counts (``tiers``).
    Simulation and situational: scenarios of the library by ``tiers`` (their
    difficulty), ``scenario_kinds`` and an optional fixed pool ``scenarios``.
    Ticket: one task per call of the section named by ``after``.
    """

    tiers: Mapping[str, int] = field(default_factory=dict)
    topics: tuple[str, ...] = ()  # empty: every topic
    kinds: tuple[str, ...] = ()  # item kinds; empty: every kind
    spread: bool = True  # theory: round-robin over topics inside each tier
    scenarios: tuple[str, ...] = ()  # call sections: the pool (empty: the library)
    scenario_kinds: tuple[str, ...] = ()  # inbound / outbound / return-visit
    after: str | None = None  # ticket sections: the call section the tickets follow
    # Where each part was written, for problems found against the bank or the library.
    marks: Mapping[str, Mark] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class SectionPass:
    percent: int  # of the section's points
    each_percent: int | None = None  # and every item at least this share of its points


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    kind: str
    title: Text
    count: int
    draw: Draw
    points: int | None  # per item; None in a theory section: each item's own points
    time_limit_s: int
    passing: SectionPass
    shuffle: bool = True  # theory: items and options in a per-candidate order
    multiple: str = "all-or-nothing"
    dimensions: tuple[str, ...] = ()  # call sections: score only these dimensions
    unfinished_cap: int = 40  # call sections: a call cut off by the clock scores at most this %
    mark: Mark = field(default=Mark(1, 1), compare=False)


@dataclass(frozen=True, slots=True)
class OverallPass:
    rule: str  # every-section | weighted
    weights: Mapping[str, int] = field(default_factory=dict)
    percent: int = 0
    require: tuple[str, ...] = ()  # weighted: sections that must pass as well


@dataclass(frozen=True, slots=True)
class Blueprint:
    id: str
    version: int
    title: Text
    attempts: int
    sections: tuple[Section, ...]
    passing: OverallPass
    path: Path
    digest: str  # sha256 of the file's bytes (`sha256sum` shows the same)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

"""What one reply did: the record kept in the transcript, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class MoodChange:
    var: str
    delta: int
    cause: str  # "tag:<id>", "choice", or "interjection:<id>"
    reaction: int | None = None  # index of the persona reaction that fired, for its "because"


@dataclass(frozen=True, slots=True)
class Turn:
    number: int  # 1-based
    state: str
    phase: str
    concern: str | None
    offered: tuple[str, ...]  # choice ids in the order shown
    choice: str
    tags: tuple[str, ...]
    points: dict[str, int]  # rubric points this reply earned, per dimension
    available: dict[str, int]  # the most any offered reply could earn, per dimension
    best: str  # the best reply on offer (highest total points)
    mood_before: dict[str, int]
    mood_after: dict[str, int]
    changes: tuple[MoodChange, ...]
    next: str  # the state or ending reached
    line_variant: int  # which variant of the next node's line was spoken
    interjection: str | None = None
    interjection_variant: int = 0
    forced_event: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def shown_as(self) -> int:
        return self.offered.index(self.choice) + 1

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["offered"] = list(self.offered)
        d["tags"] = list(self.tags)
        d["changes"] = [asdict(c) for c in self.changes]
        return d

"""What the library screen lists, and the names it needs: kept apart from the full model
(simulator/scenario/model.py) so that starting the app builds only these classes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from simulator.scenario.model import Library

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

KINDS: tuple[str, ...] = ("inbound", "outbound", "return-visit")
DIFFICULTIES: tuple[str, ...] = ("basic", "intermediate", "advanced")


@dataclass(frozen=True, slots=True)
class Text:
    """A text shown to a person, in both languages."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True, slots=True)
class PersonaSummary:
    id: str
    name: Text


@dataclass(frozen=True, slots=True)
class ScenarioSummary:
    """What the library screen lists: enough to show and filter, not to play."""

    id: str
    title: Text
    persona: PersonaSummary
    difficulty: str
    kind: str
    skills: tuple[str, ...]


@dataclass
class LibraryIndex:
    scenarios: dict[str, ScenarioSummary]
    tag_names: dict[str, Text]

    @classmethod
    def of(cls, lib: Library) -> LibraryIndex:
        return cls(
            {
                sid: ScenarioSummary(
                    sid,
                    sc.title,
                    PersonaSummary(sc.persona.id, sc.persona.name),
                    sc.difficulty,
                    sc.kind,
                    sc.skills,
                )
                for sid, sc in lib.scenarios.items()
            },
            {tid: tag.name for tid, tag in lib.tags.items()},
        )

"""Problems found in scenario files, each pinned to a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    mark: Mark
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.mark.line}:{self.mark.column}"
        return f"{where}: {self.message}" + (f" — fix: {self.fix}" if self.fix else "")


class ScenarioError(Exception):
    """A file held problems; ``unusable`` means it could not be read as YAML at all."""

    def __init__(self, problems: list[Problem], *, unusable: bool = False) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        self.unusable = unusable

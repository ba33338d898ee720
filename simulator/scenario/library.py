"""Find and load the scenario library: tags, rubric, personas and scenarios."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from simulator.scenario.checks import check_graph, check_refs
from simulator.scenario.errors import Mark, Problem, ScenarioError
from simulator.scenario.loader import load_persona, load_rubric, load_tags, read_scenario
from simulator.scenario.model import Library, Persona, Rubric, Scenario, TagDef
from simulator.scenario.paths import bundled_dir

__all__ = [
    "Library",
    "bundled_dir",
    "load_library",
    "load_personas",
    "load_scenario",
    "load_support",
    "scenario_files",
    "support_for",
]

SUPPORT_FILES = ("tags.yaml", "rubric.yaml")


def load_support(root: Path) -> tuple[dict[str, TagDef], Rubric, dict[str, Persona]]:
    """Tags, rubric and personas; raises ScenarioError with every problem found."""
    problems: list[Problem] = []
    tags: dict[str, TagDef] = {}
    rubric: Rubric | None = None
    try:
        tags = load_tags(root / "tags.yaml")
    except ScenarioError as exc:
        problems += exc.problems
    try:
        rubric = load_rubric(root / "rubric.yaml")
    except ScenarioError as exc:
        problems += exc.problems
    personas = load_personas(root / "personas", tags, problems)
    if problems or rubric is None:
        raise ScenarioError(problems, unusable=True)
    return tags, rubric, personas


def load_personas(
    folder: Path, tags: Mapping[str, TagDef], problems: list[Problem]
) -> dict[str, Persona]:
    personas: dict[str, Persona] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            persona, reader = load_persona(path)
        except ScenarioError as exc:
            problems += exc.problems
            continue
        if tags:  # with no tag table every tag would look unknown: report the table's problems only
            check_refs(reader, tags, persona)
        problems += reader.problems
        personas[persona.id] = persona
    return personas


def support_for(path: Path) -> tuple[dict[str, TagDef], Rubric, dict[str, Persona], list[Problem]]:
    """What a scenario file outside the library is checked against: the bundled tags,
    rubric and personas, plus any personas in a `personas/` folder beside the file."""
    root = bundled_dir()
    tags, rubric, personas = load_support(root)
    problems: list[Problem] = []
    local = path.parent / "personas"
    if local.is_dir() and local.resolve() != (root / "personas").resolve():
        personas.update(load_personas(local, tags, problems))
    return tags, rubric, personas, problems


def load_scenario(
    path: Path,
    tags: Mapping[str, TagDef],
    personas: Mapping[str, Persona],
    data: bytes | None = None,
) -> Scenario:
    """One scenario, fully checked; raises ScenarioError listing every problem."""
    scenario, reader, marks = read_scenario(path, personas, data)
    # Without a readable persona, mood names cannot be checked; everything else still is.
    check_refs(reader, tags, scenario.persona if scenario else None)
    if scenario is not None and not reader.problems:
        check_graph(reader, scenario, marks)
    if reader.problems or scenario is None:
        problems = sorted(reader.problems, key=lambda p: (p.mark.line, p.mark.column))
        raise ScenarioError(
            problems or [Problem(path, Mark(1, 1), "the scenario could not be read")]
        )
    return scenario


def scenario_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*.yaml") if p.name not in SUPPORT_FILES)


def load_library(
    root: Path | None = None, extra: Iterable[Path] = (), *, strict: bool = True
) -> Library:
    """The bundled library plus scenario folders in ``extra``.

    Strict: any problem raises ScenarioError listing them all. Otherwise the broken
    scenarios are left out and their problems kept in ``Library.problems``.
    """
    root = root or bundled_dir()
    tags, rubric, personas = load_support(root)
    problems: list[Problem] = []
    extra = tuple(extra)
    for folder in extra:
        personas.update(load_personas(folder / "personas", tags, problems))
    lib = Library(root, tags, rubric, personas)
    for folder in (root, *extra):
        for path in scenario_files(folder):
            try:
                sc = load_scenario(path, tags, personas)
            except ScenarioError as exc:
                problems += exc.problems
                continue
            if sc.id in lib.scenarios:
                problems.append(
                    Problem(
                        path,
                        Mark(1, 1),
                        f"scenario id '{sc.id}' is already used by {lib.scenarios[sc.id].source}",
                        "give it another id",
                    )
                )
                continue
            lib.scenarios[sc.id] = sc
    if problems and strict:
        raise ScenarioError(problems)
    lib.problems = problems
    return lib

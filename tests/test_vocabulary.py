"""One vocabulary: every tag used is defined and documented; UI strings in both languages."""

from __future__ import annotations

from simulator.i18n import STRINGS
from simulator.scenario.library import Library
from simulator.scenario.model import DIMENSIONS, LOOP_STEPS, PHASES
from simulator.scenario.tagdoc import render
from tests.conftest import ROOT


def test_every_tag_used_is_defined(library: Library) -> None:
    used: set[str] = set()
    for persona in library.personas.values():
        used.update(r.tag for r in persona.reactions)
        for inter in persona.interjections:
            used.update(inter.reset_by)
    for sc in library.scenarios.values():
        used.update(sc.skills)
        for state in sc.states.values():
            for choice in state.choices:
                used.update(choice.tags)
    assert used, "nothing uses any tag"
    assert used <= set(library.tags), sorted(used - set(library.tags))


def test_every_tag_is_explained_and_scored(library: Library) -> None:
    for tag in library.tags.values():
        assert tag.name.zh and tag.name.en and tag.explain.zh and tag.explain.en
        assert tag.points and set(tag.points) <= set(DIMENSIONS)
        assert tag.loop is None or tag.loop in LOOP_STEPS
        assert tag.phase is None or tag.phase in PHASES
        if sum(tag.points.values()) < 0:
            assert tag.better is not None, f"{tag.id} costs points but offers no better phrasing"


def test_tag_documentation_is_current(library: Library) -> None:
    doc = (ROOT / "docs" / "tags.md").read_text(encoding="utf-8")
    assert doc == render(library.tags), (
        "docs/tags.md is stale: run `python -m simulator.scenario.tagdoc > docs/tags.md`"
    )
    for tag in library.tags:
        assert f"`{tag}`" in doc


def test_ui_strings_exist_in_both_languages() -> None:
    assert set(STRINGS) == {"zh", "en"}
    assert set(STRINGS["zh"]) == set(STRINGS["en"])
    for lang, table in STRINGS.items():
        for key, text in table.items():
            assert text.strip(), f"{lang}:{key} is empty"


def test_rubric_has_the_four_dimensions(library: Library) -> None:
    assert tuple(library.rubric.dimensions) == DIMENSIONS
    assert library.rubric.pass_mark == 80
    for cap in library.rubric.outcome_caps.values():
        assert cap < library.rubric.pass_mark

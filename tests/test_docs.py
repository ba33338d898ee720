"""The annotated example in docs/scenario-format.md is a real, valid scenario."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.scenario.library import Library, load_scenario
from tests.conftest import FIXTURES, ROOT


def _doc_example() -> str:
    text = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    blocks: list[str] = re.findall(r"```yaml\n(.*?)```", text, re.S)
    return blocks[0]


def test_doc_example_loads(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "doc-example.yaml"
    path.write_text(_doc_example(), encoding="utf-8")
    sc = load_scenario(path, library.tags, library.personas)
    assert sc.id == "doc-example" and sc.persona.id == "demanding"
    assert sc.persona.mood["patience"].start == 50  # the override in the example


def test_doc_example_fixture_is_the_same_text() -> None:
    fixture = (FIXTURES / "valid" / "doc-example.yaml").read_text(encoding="utf-8")
    assert fixture == _doc_example(), (
        "copy the example from docs/scenario-format.md into the fixture"
    )

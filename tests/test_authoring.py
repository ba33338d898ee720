"""Authoring tools: new, schema, graph, explore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.engine import CallPlot
from simulator.engine.explore import explore
from simulator.report import graph
from simulator.scenario.library import Library, load_scenario
from simulator.scenario.schema import scenario_schema
from tests.conftest import FIXTURES, ROOT, run_cli


@pytest.mark.parametrize("persona", ["angry", "confused", "demanding", "talkative"])
def test_new_writes_a_valid_skeleton(tmp_path: Path, persona: str) -> None:
    result = run_cli("new", "my-call", "--persona", persona, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "my-call.yaml"
    assert run_cli("validate", str(path)).returncode == 0
    assert "#" in path.read_text(encoding="utf-8")  # commented
    again = run_cli("new", "my-call", "--persona", persona, cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_new_refuses_bad_ids_and_personas(tmp_path: Path) -> None:
    assert run_cli("new", "Bad Id", "--persona", "angry", cwd=tmp_path).returncode == 2
    result = run_cli("new", "ok-id", "--persona", "angyr", cwd=tmp_path)
    assert result.returncode == 2 and "did you mean 'angry'?" in result.stderr


def test_published_schema_is_current() -> None:
    published = json.loads((ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert published == scenario_schema(), (
        "docs/scenario.schema.json is stale: run `calldrill schema > docs/scenario.schema.json`"
    )


def test_schema_accepts_the_doc_example() -> None:
    import yaml  # noqa: PLC0415  (only to compare with a plain JSON Schema reading)

    schema = scenario_schema()
    example = yaml.safe_load((FIXTURES / "valid" / "doc-example.yaml").read_text(encoding="utf-8"))
    assert set(example) <= set(schema["properties"])
    assert set(schema["required"]) <= set(example)


def test_scenario_diagrams_are_current(plots: dict[str, CallPlot]) -> None:
    for sid, plot in plots.items():
        path = ROOT / "docs" / "scenarios" / f"{sid}.md"
        fix = f"calldrill graph {sid} --format markdown > docs/scenarios/{sid}.md"
        assert path.exists(), f"missing diagram: run `{fix}`"
        assert path.read_text(encoding="utf-8") == graph.markdown(plot), f"stale: run `{fix}`"


def test_graph_marks_the_best_path_and_uses_only_ids(plots: dict[str, CallPlot]) -> None:
    plot = plots["angry-delivery"]
    text = graph.mermaid(plot)
    assert text.startswith("flowchart TD")
    assert "==>" in text and "-.->" in text
    for choice_text in (c.text.zh for s in plot.scenario.states.values() for c in s.choices):
        assert choice_text not in text
    dot = graph.dot(plot)
    assert dot.startswith('digraph "angry-delivery"') and "penwidth=3" in dot


def test_explore_is_exhaustive_on_a_small_scenario(library: Library) -> None:
    sc = load_scenario(FIXTURES / "valid" / "doc-example.yaml", library.tags, library.personas)
    plot = CallPlot(sc, library.tags, library.rubric)
    result = explore(plot)
    data = result.as_dict(plot)
    assert data["exhaustive"]

    # Count the same paths by brute force, replaying each from the start.
    def walk(prefix: list[str]) -> int:
        call = plot.new_call(0)
        for cid in prefix:
            call.reply(cid)
        if call.finished or len(prefix) >= 40:
            call.close()
            return 1
        ids = [c.id for c in sc.states[call.state].choices]
        call.close()
        return sum(walk([*prefix, cid]) for cid in ids)

    assert data["paths"] == walk([])
    assert set(data["endings"]) <= set(sc.endings)
    assert data["score"]["max"] == 100.0 and data["passing_paths"] >= 1
    assert data["unreached_states"] == []


def test_explore_cli_json(library: Library) -> None:
    result = run_cli("explore", str(FIXTURES / "valid" / "doc-example.yaml"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["exhaustive"] and data["paths"] > 3
    text = run_cli("explore", str(FIXTURES / "valid" / "doc-example.yaml"))
    assert "paths (exhaustive)" in text.stdout

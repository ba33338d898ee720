"""Render docs/tags.md from scenarios/tags.yaml, so the documentation cannot drift.

Run `python -m simulator.scenario.tagdoc > docs/tags.md` after editing the tags.
"""

from __future__ import annotations

from collections.abc import Mapping

from simulator.scenario.library import bundled_dir
from simulator.scenario.loader import load_tags
from simulator.scenario.model import DIMENSIONS, TagDef

_DIM_LABEL = {"expression": "expr", "process": "proc", "solving": "solv", "emotion": "emo"}


def render(tags: Mapping[str, TagDef]) -> str:
    out = [
        "# Behaviour tags",
        "",
        "<!-- Generated from scenarios/tags.yaml by "
        "`python -m simulator.scenario.tagdoc > docs/tags.md`; do not edit by hand. -->",
        "",
        "Every reply in a scenario carries behaviour tags. Personas react to them, the",
        "rubric scores them (points per dimension: expr = expression & wording, proc =",
        "process, solv = problem solving, emo = emotion management), and the debrief",
        "explains them through the listen → feedback → confirm loop and the call phases.",
        "A **blocker** caps the whole call's score (see [scoring.md](scoring.md)).",
        "",
        "| tag | 名称 | name | points | loop | phase | what it means |",
        "|---|---|---|---|---|---|---|",
    ]
    for tag in tags.values():
        pts = " ".join(f"{_DIM_LABEL[d]} {tag.points[d]:+d}" for d in DIMENSIONS if d in tag.points)
        meaning = tag.explain.en
        if tag.better:
            meaning += f" **Say instead:** {tag.better.en} / {tag.better.zh}"
        if tag.blocker:
            meaning += " **Blocker.**"
        out.append(
            f"| `{tag.id}` | {tag.name.zh} | {tag.name.en} | {pts} | {tag.loop or ''} "
            f"| {tag.phase or ''} | {meaning} |"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    print(render(load_tags(bundled_dir() / "tags.yaml")), end="")


if __name__ == "__main__":
    main()

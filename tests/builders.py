"""Write small scenarios for tests in the real file format (loaded by the real loader)."""

from __future__ import annotations

import json
from typing import Any

# choice: (id, tags, next) or (id, tags, next, extra-keys dict)
ChoiceSpec = tuple[Any, ...]


def _text(zh: str, en: str) -> str:
    return json.dumps({"zh": zh, "en": en}, ensure_ascii=False)


def scenario_yaml(
    sid: str,
    persona: str,
    states: dict[str, list[ChoiceSpec]],
    endings: dict[str, str],
    *,
    start: str | None = None,
    events: dict[str, str] | None = None,
    extra: str = "",
    lines: dict[str, int] | None = None,
) -> str:
    """A valid scenario; every state has ``lines[state]`` line variants (default 1)."""
    out = [
        "schema_version: 1",
        f"id: {sid}",
        "version: 1",
        f"title: {_text('测试', 'Test')}",
        "kind: inbound",
        f"persona: {persona}",
        "difficulty: basic",
        "skills: [empathy]",
        f"brief: {_text('说明', 'Brief')}",
        f"goal: {_text('目标', 'Goal')}",
        f"customer: {{name: {_text('张先生', 'Mr Zhang')}}}",
        f"concerns: [{{id: main, summary: {_text('问题', 'Problem')}}}]",
        f"start: {start or next(iter(states))}",
        "states:",
    ]
    for sid_, choices in states.items():
        out += [f"  {sid_}:", "    phase: discovery", "    concern: main", "    line:"]
        for i in range((lines or {}).get(sid_, 1)):
            out.append(f"      - {_text(f'{sid_} 第{i + 1}句', f'{sid_} line {i + 1}')}")
        out.append("    choices:")
        for spec in choices:
            cid, tags, nxt = spec[0], spec[1], spec[2]
            more: dict[str, Any] = spec[3] if len(spec) > 3 else {}
            out += [
                f"      - id: {cid}",
                f"        text: {_text(f'回答 {cid}', f'reply {cid}')}",
                f"        tags: {json.dumps(list(tags))}",
                f"        feedback: {_text('反馈', 'feedback')}",
            ]
            if isinstance(nxt, list):
                out.append(f"        branches: {json.dumps(nxt, ensure_ascii=False)}")
            else:
                out.append(f"        next: {nxt}")
            for key, value in more.items():
                out.append(f"        {key}: {json.dumps(value, ensure_ascii=False)}")
    out.append("endings:")
    for eid, outcome in endings.items():
        out += [
            f"  {eid}:",
            f"    outcome: {outcome}",
            f"    line: [{_text(f'{eid} 结束', f'{eid} end')}]",
            f"    summary: {_text('小结', 'Summary')}",
        ]
    if events:
        out.append("on_persona_event:")
        out += [f"  {k}: {v}" for k, v in events.items()]
    if extra:
        out.append(extra)
    return "\n".join(out) + "\n"

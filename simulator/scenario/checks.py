"""Checks that need the whole file: names used against names defined, and the plot graph."""

from __future__ import annotations

from collections.abc import Mapping

from simulator.scenario.errors import Mark
from simulator.scenario.model import Persona, Scenario, TagDef
from simulator.scenario.reader import Reader, suggest

MIN_CHOICES = 2


def check_refs(r: Reader, tags: Mapping[str, TagDef], persona: Persona | None) -> None:
    """Every name a file uses must be defined: tags, states, concerns, mood, events, choices."""
    nodes = r.declared.get("state", set()) | r.declared.get("ending", set())
    for ref in r.refs:
        if ref.kind == "tag" and ref.value not in tags:
            r.problem(
                ref.mark,
                f"unknown tag '{ref.value}'",
                suggest(ref.value, tags) or "tags are defined in scenarios/tags.yaml",
            )
        elif ref.kind == "node":
            if ref.context == "start" and ref.value not in r.declared.get("state", set()):
                r.problem(
                    ref.mark,
                    f"the start state '{ref.value}' is not defined",
                    suggest(ref.value, r.declared.get("state", set()))
                    or "name a state under `states:`",
                )
            elif ref.context == "event-target" and ref.value not in r.declared.get("ending", set()):
                r.problem(
                    ref.mark,
                    f"'{ref.value}' is not an ending",
                    suggest(ref.value, r.declared.get("ending", set()))
                    or "a persona event must lead to an ending under `endings:`",
                )
            elif ref.value not in nodes:
                r.problem(
                    ref.mark,
                    f"'{ref.value}' is neither a state nor an ending",
                    suggest(ref.value, nodes) or "add it under `states:` or `endings:`",
                )
        elif ref.kind == "state" and ref.value not in r.declared.get("state", set()):
            r.problem(
                ref.mark,
                f"unknown state '{ref.value}'",
                suggest(ref.value, r.declared.get("state", set()))
                or "`visited:` names a state under `states:`",
            )
        elif ref.kind in ("concern", "event", "choice"):
            known = r.declared.get(ref.kind, set())
            if ref.value not in known:
                where = {
                    "concern": "listed under `concerns:`",
                    "event": "set by any choice's `sets:`",
                    "choice": "a choice id in this scenario",
                }[ref.kind]
                r.problem(
                    ref.mark,
                    f"unknown {ref.kind} '{ref.value}'",
                    suggest(ref.value, known) or f"it must be {where}",
                )
        elif ref.kind == "mood" and persona is not None and ref.value not in persona.mood:
            r.problem(
                ref.mark,
                f"persona '{persona.id}' has no mood variable '{ref.value}'",
                suggest(ref.value, persona.mood) or f"its variables are: {', '.join(persona.mood)}",
            )


def check_graph(r: Reader, sc: Scenario, marks: Mapping[str, Mark]) -> None:
    """Every state reachable, every state with a way out to some ending."""
    for sid, state in sc.states.items():
        if 0 < len(state.choices) < MIN_CHOICES:
            r.problem(
                marks[sid],
                f"state '{sid}' offers only one choice",
                "give the trainee at least two replies to choose from",
            )
    edges: dict[str, set[str]] = {
        sid: {b.next for c in st.choices for b in c.branches} for sid, st in sc.states.items()
    }
    seen = {sc.start}
    todo = [sc.start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    for sid in sc.states:
        if sid not in seen:
            r.problem(
                marks[sid],
                f"state '{sid}' can never be reached from the start '{sc.start}'",
                "point some choice's `next:` at it, or delete it",
            )
    forced = set(sc.on_persona_event.values())
    if not any(e in seen for e in sc.endings) and not forced:
        r.problem(
            marks.get(sc.start, Mark(1, 1)),
            "no ending can be reached from the start",
            "lead at least one choice to an ending",
        )
    # States from which no ending can be reached trap the trainee in a loop.
    can_end = set(sc.endings)
    changed = True
    while changed:
        changed = False
        for sid, targets in edges.items():
            if sid not in can_end and targets & can_end:
                can_end.add(sid)
                changed = True
    for sid in sc.states:
        if sid in seen and sid not in can_end and sc.states[sid].choices:
            r.problem(
                marks[sid],
                f"no ending can be reached from state '{sid}': the call would loop forever",
                "give one of its choices (or a later state's) a path to an ending",
            )

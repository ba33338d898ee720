"""A scenario's plot as a diagram (Mermaid or Graphviz dot), the best path marked.

Only ids, phases and outcome names go into the diagram (never scenario text), so
nothing an author writes can break the diagram syntax.
"""

from __future__ import annotations

from simulator.engine import CallPlot
from simulator.scenario.model import (
    AllCond,
    AnyCond,
    ChoseCond,
    Condition,
    EventCond,
    MoodCond,
    NotCond,
    Scenario,
    TagUsedCond,
    TurnCond,
    VisitedCond,
)


def best_path(plot: CallPlot, seed: int = 0, limit: int = 100) -> list[tuple[str, str, str]]:
    """(state, choice, next) along the path of best replies, as the engine plays it."""
    call = plot.new_call(seed)
    edges: list[tuple[str, str, str]] = []
    while not call.finished and len(edges) < limit:
        state = plot.scenario.states[call.state]
        choice = plot.best_choice(state)
        turn = call.reply(choice.id)
        edges.append((turn.state, turn.choice, turn.next))
    call.close()
    return edges


def _edges(sc: Scenario) -> list[tuple[str, str, str, bool]]:
    """(state, label, target, conditional) for every choice and branch."""
    out = []
    for state in sc.states.values():
        for choice in state.choices:
            for branch in choice.branches:
                label = choice.id if branch.when is None else f"{choice.id} if {_cond(branch.when)}"
                out.append((state.id, label, branch.next, branch.when is not None))
    return out


def _cond(cond: Condition) -> str:
    match cond:
        case MoodCond(var, lo, hi):
            return " ".join(
                x
                for x in (
                    f"{var}",
                    f">={lo}" if lo is not None else "",
                    f"<={hi}" if hi is not None else "",
                )
                if x
            )
        case EventCond(event):
            return f"event {event}"
        case ChoseCond(choice, state):
            return f"chose {state + '.' if state else ''}{choice}"
        case TagUsedCond(tag, n):
            return f"used {tag}" + (f" x{n}" if n > 1 else "")
        case VisitedCond(state, n):
            return f"visited {state}" + (f" x{n}" if n > 1 else "")
        case TurnCond(lo, hi):
            return " ".join(
                x
                for x in (
                    "turn",
                    f">={lo}" if lo is not None else "",
                    f"<={hi}" if hi is not None else "",
                )
                if x
            )
        case AllCond(items):
            return "(" + " and ".join(_cond(c) for c in items) + ")"
        case AnyCond(items):
            return "(" + " or ".join(_cond(c) for c in items) + ")"
        case NotCond(item):
            return f"not {_cond(item)}"
    raise TypeError(cond)


def mermaid(plot: CallPlot) -> str:
    sc = plot.scenario
    best = {(s, n) for s, _, n in best_path(plot)}
    lines = ["flowchart TD"]
    for state in sc.states.values():
        marker = " ★" if state.id == sc.start else ""
        lines.append(f'    {_mid(state.id)}["{state.id}{marker}<br/><i>{state.phase}</i>"]')
    for ending in sc.endings.values():
        lines.append(f'    {_mid(ending.id)}(["{ending.id}<br/><b>{ending.outcome}</b>"])')
    for src, label, dst, conditional in _edges(sc):
        arrow = (
            "==>" if (src, dst) in best and not conditional else "-.->" if conditional else "-->"
        )
        lines.append(f'    {_mid(src)} {arrow}|"{label}"| {_mid(dst)}')
    for ending in sc.endings.values():
        good = ending.outcome not in plot.rubric.outcome_caps
        lines.append(f"    class {_mid(ending.id)} {'good' if good else 'bad'}")
    lines.append("    classDef good fill:#d4f4dd,stroke:#2e7d32")
    lines.append("    classDef bad fill:#fde0e0,stroke:#c62828")
    return "\n".join(lines) + "\n"


def _mid(node: str) -> str:
    # Mermaid ids: letters, digits, underscore; "end" alone is a keyword.
    return "n_" + node.replace("-", "_")


def dot(plot: CallPlot) -> str:
    sc = plot.scenario
    best = {(s, n) for s, _, n in best_path(plot)}
    lines = [f'digraph "{sc.id}" {{', "  rankdir=TB;", '  node [fontname="sans-serif"];']
    for state in sc.states.values():
        shape = "doublecircle" if state.id == sc.start else "box"
        lines.append(f'  "{state.id}" [shape={shape}, label="{state.id}\\n{state.phase}"];')
    for ending in sc.endings.values():
        color = "palegreen" if ending.outcome not in plot.rubric.outcome_caps else "mistyrose"
        lines.append(
            f'  "{ending.id}" [shape=oval, style=filled, fillcolor={color}, '
            f'label="{ending.id}\\n{ending.outcome}"];'
        )
    for src, label, dst, conditional in _edges(sc):
        attrs = [f'label="{label}"']
        if (src, dst) in best and not conditional:
            attrs.append("penwidth=3")
        if conditional:
            attrs.append("style=dashed")
        lines.append(f'  "{src}" -> "{dst}" [{", ".join(attrs)}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def markdown(plot: CallPlot) -> str:
    """The page kept in docs/scenarios/<id>.md."""
    sc = plot.scenario
    return (
        f"# {sc.id}: {sc.title.zh} / {sc.title.en}\n\n"
        f"<!-- Generated by `calldrill graph {sc.id} --format markdown > "
        f"docs/scenarios/{sc.id}.md`; do not edit by hand. -->\n\n"
        f"{sc.kind} · {sc.difficulty} · persona `{sc.persona.id}` · "
        f"{len(sc.states)} states, {len(sc.endings)} endings. "
        "Thick arrows: the path of best replies; dashed: conditional branches; "
        "green endings can pass, red ones cannot.\n\n"
        f"```mermaid\n{mermaid(plot)}```\n"
    )

"""Load and check exam blueprints (docs/assessment.md), with file:line:col problems.

``load_blueprint`` checks a blueprint on its own; ``check_blueprint`` checks it against
a question bank and a scenario library (enough items of each tier, scenarios that
exist), so that a draw can never come up short in the exam room.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from simulator.assessment.model import (
    CALL_KINDS,
    ITEM_KINDS,
    MULTIPLE_SCORING,
    OVERALL_RULES,
    SECTION_KINDS,
    TIERS,
    TOPICS,
    Bank,
    Blueprint,
    Draw,
    OverallPass,
    Section,
    SectionPass,
)
from simulator.scenario.errors import Mark, Problem, ScenarioError
from simulator.scenario.model import DIMENSIONS, KINDS, Scenario
from simulator.scenario.reader import Reader
from simulator.scenario.yamlsafe import YMap, YNode, YScalar, read_yaml

SCHEMA_VERSION = 1
MAX_SECTIONS = 12
MAX_COUNT = 500
MAX_MINUTES = 600

_SECTION_KEYS = ("id", "kind", "title", "count", "draw", "time_limit_minutes", "pass")
_SECTION_OPTIONAL = {
    "theory": ("points", "shuffle", "multiple"),
    "ticket": ("points",),
    "simulation": ("points", "dimensions", "unfinished_cap"),
    "situational": ("points", "dimensions", "unfinished_cap"),
}
_DRAW_KEYS = {
    "theory": ("tiers", "topics", "kinds", "spread"),
    "simulation": ("difficulty", "scenarios", "scenario_kinds"),
    "situational": ("difficulty", "scenarios", "scenario_kinds"),
    "ticket": ("after",),
}


def load_blueprint(path: Path, data: bytes | None = None) -> Blueprint:
    """One blueprint, checked on its own; raises ScenarioError listing every problem."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ScenarioError(
                [Problem(path, Mark(1, 1), f"cannot read the file: {exc.strerror or exc}")],
                unusable=True,
            ) from None
    reader = Reader(path)
    root = read_yaml(path, data)
    bp = _blueprint(reader, root, path, hashlib.sha256(data).hexdigest())
    if reader.problems or bp is None:
        problems = sorted(reader.problems, key=lambda p: (p.mark.line, p.mark.column))
        raise ScenarioError(
            problems or [Problem(path, Mark(1, 1), "the blueprint could not be read")]
        )
    return bp


def _blueprint(reader: Reader, root: YNode, path: Path, digest: str) -> Blueprint | None:
    m = reader.mapping(root, "the blueprint file")
    if m is None:
        return None
    if not reader.keys(
        m,
        "the blueprint",
        ["schema_version", "id", "version", "title", "sections", "pass"],
        ["attempts"],
    ):
        return None
    version_node = m.items["schema_version"][1]
    schema = reader.integer(version_node, "schema_version", 0, 10_000)
    if schema is not None and schema != SCHEMA_VERSION:
        reader.problem(
            version_node.mark,
            f"schema_version {schema} is not supported",
            f"this calldrill reads schema_version {SCHEMA_VERSION}",
        )
        return None
    bp_id = reader.ident(m.items["id"][1], "blueprint id")
    version = reader.integer(m.items["version"][1], "blueprint version", 1, 1_000_000)
    title = reader.text(m.items["title"][1], "blueprint title")
    attempts = 1
    if "attempts" in m.items:
        attempts = reader.integer(m.items["attempts"][1], "attempts", 1, 100) or 1
    sections = _sections(reader, m.items["sections"][1])
    passing = None
    if sections is not None:
        passing = _overall(reader, m.items["pass"][1], sections)
    if None in (bp_id, version, title, sections, passing):
        return None
    assert bp_id is not None and version is not None and title is not None
    assert sections is not None and passing is not None
    return Blueprint(bp_id, version, title, attempts, tuple(sections), passing, path, digest)


def _sections(reader: Reader, node: YNode) -> list[Section] | None:
    seq = reader.sequence(node, "sections")
    if seq is None:
        return None
    if not 1 <= len(seq.items) <= MAX_SECTIONS:
        reader.problem(seq.mark, f"a blueprint has 1 to {MAX_SECTIONS} sections", "")
        return None
    out: list[Section] = []
    ok = True
    for n, item in enumerate(seq.items, start=1):
        section = _section(reader, item, f"section {n}", out)
        if section is None:
            ok = False
            continue
        if any(s.id == section.id for s in out):
            reader.problem(section.mark, f"section id '{section.id}' is used twice", "rename one")
            ok = False
            continue
        out.append(section)
    return out if ok else None


def _section(reader: Reader, node: YNode, what: str, before: list[Section]) -> Section | None:
    m = reader.mapping(node, what)
    if m is None:
        return None
    id_node = reader.get(m, "id")
    sid = reader.ident(id_node, f"{what} id") if id_node is not None else None
    if sid is not None:
        what = f"section '{sid}'"
    kind_node = reader.get(m, "kind")
    kind = reader.choice_of(kind_node, f"{what} kind", SECTION_KINDS) if kind_node else None
    optional = _SECTION_OPTIONAL.get(kind or "", ())
    if kind is None:
        optional = tuple(dict.fromkeys(k for ks in _SECTION_OPTIONAL.values() for k in ks))
    if not reader.keys(m, what, _SECTION_KEYS, optional) or kind is None or sid is None:
        return None
    title = reader.text(m.items["title"][1], f"{what} title")
    count = reader.integer(m.items["count"][1], f"{what} count", 1, MAX_COUNT)
    minutes = reader.integer(
        m.items["time_limit_minutes"][1], f"{what} time_limit_minutes", 1, MAX_MINUTES
    )
    points: int | None = None
    if "points" in m.items:
        points = reader.integer(m.items["points"][1], f"{what} points", 1, 1000)
        if points is None:
            return None
    elif kind != "theory":
        reader.problem(
            m.mark,
            f"{what} needs `points:` (the points of each of its items)",
            "e.g. `points: 33`",
        )
        return None
    shuffle = True
    if "shuffle" in m.items:
        value = reader.boolean(m.items["shuffle"][1], f"{what} shuffle")
        shuffle = True if value is None else value
    multiple = "all-or-nothing"
    if "multiple" in m.items:
        multiple = (
            reader.choice_of(m.items["multiple"][1], f"{what} multiple", MULTIPLE_SCORING)
            or multiple
        )
    dimensions: tuple[str, ...] = ()
    if "dimensions" in m.items:
        dims = reader.list_of(
            m.items["dimensions"][1],
            f"{what} dimensions",
            lambda n, w: reader.choice_of(n, w, DIMENSIONS),
        )
        if not dims:
            return None
        dimensions = tuple(dict.fromkeys(dims))
    cap = 40
    if "unfinished_cap" in m.items:
        cap_value = reader.integer(m.items["unfinished_cap"][1], f"{what} unfinished_cap", 0, 100)
        if cap_value is None:
            return None
        cap = cap_value
    draw = _draw(reader, m.items["draw"][1], what, kind, count, before)
    passing = _section_pass(reader, m.items["pass"][1], what)
    if None in (title, count, minutes, draw, passing):
        return None
    assert title is not None and count is not None and minutes is not None
    assert draw is not None and passing is not None
    return Section(
        id=sid,
        kind=kind,
        title=title,
        count=count,
        draw=draw,
        points=points,
        time_limit_s=minutes * 60,
        passing=passing,
        shuffle=shuffle,
        multiple=multiple,
        dimensions=dimensions,
        unfinished_cap=cap,
        mark=m.mark,
    )


def _draw(
    reader: Reader, node: YNode, what: str, kind: str, count: int | None, before: list[Section]
) -> Draw | None:
    m = reader.mapping(node, f"{what} draw")
    if m is None:
        return None
    allowed = _DRAW_KEYS[kind]
    for key, (knode, _) in m.items.items():
        if key in allowed:
            continue
        if key in ("tiers", "difficulty") and kind in (*CALL_KINDS, "theory"):
            right = "difficulty" if kind in CALL_KINDS else "tiers"
            reader.problem(
                knode.mark,
                f"{what} draw: a {kind} section draws by `{right}:`, not `{key}:`",
                f"rename it `{right}:`",
            )
        else:
            reader.keys(YMap(m.mark, {key: m.items[key]}), f"{what} draw", [], allowed)
    marks: dict[str, Mark] = {"draw": m.mark}
    if kind == "ticket":
        after_node = reader.get(m, "after")
        if after_node is None:
            reader.problem(
                m.mark,
                f"{what} draw needs `after:`: the call section whose calls get a ticket",
                "e.g. `draw: {after: calls}`",
            )
            return None
        after = reader.ident(after_node, f"{what} draw after")
        if after is None:
            return None
        target = next((s for s in before if s.id == after), None)
        if target is None or target.kind not in CALL_KINDS:
            calls = [s.id for s in before if s.kind in CALL_KINDS]
            reader.problem(
                after_node.mark,
                f"{what} draw after: '{after}' is not an earlier simulation or situational section",
                f"use one of: {', '.join(calls)}" if calls else "put the call section first",
            )
            return None
        if count is not None and count != target.count:
            reader.problem(
                after_node.mark,
                f"{what} has count {count}, but section '{after}' has {target.count} calls",
                f"one ticket per call: set count to {target.count}",
            )
            return None
        return Draw(after=after, marks=marks)
    tiers_key = "tiers" if kind == "theory" else "difficulty"
    tiers: dict[str, int] = {}
    if tiers_key in m.items:
        knode, vnode = m.items[tiers_key]
        marks[tiers_key] = knode.mark
        read = reader.int_map(vnode, f"{what} draw {tiers_key}", TIERS, None, 0, MAX_COUNT)
        if read is None:
            return None
        tiers = {t: read[t] for t in TIERS if read.get(t)}
        if isinstance(vnode, YMap):
            for tier, (tk, _) in vnode.items.items():
                marks[f"tier:{tier}"] = tk.mark
        total = sum(tiers.values())
        if count is not None and total != count:
            reader.problem(
                knode.mark,
                f"{what} draw {tiers_key} add up to {total}, but count is {count}",
                f"make them add up to {count}, or set count to {total}",
            )
            return None
    if kind == "theory":
        topics = _id_list(reader, m, "topics", f"{what} draw topics", TOPICS, marks)
        kinds = _id_list(reader, m, "kinds", f"{what} draw kinds", ITEM_KINDS, marks)
        spread = True
        if "spread" in m.items:
            value = reader.boolean(m.items["spread"][1], f"{what} draw spread")
            spread = True if value is None else value
        if topics is None or kinds is None:
            return None
        return Draw(tiers=tiers, topics=topics, kinds=kinds, spread=spread, marks=marks)
    scenario_kinds = _id_list(
        reader, m, "scenario_kinds", f"{what} draw scenario_kinds", KINDS, marks
    )
    scenarios = _id_list(reader, m, "scenarios", f"{what} draw scenarios", None, marks)
    if scenario_kinds is None or scenarios is None:
        return None
    return Draw(tiers=tiers, scenarios=scenarios, scenario_kinds=scenario_kinds, marks=marks)


def _id_list(
    reader: Reader,
    m: YMap,
    key: str,
    what: str,
    options: Iterable[str] | None,
    marks: dict[str, Mark],
) -> tuple[str, ...] | None:
    node = reader.get(m, key)
    if node is None:
        return ()
    seq = reader.sequence(node, what)
    if seq is None:
        return None
    opts = list(options) if options is not None else None
    out: list[str] = []
    for item in seq.items:
        value = reader.choice_of(item, what, opts) if opts is not None else reader.ident(item, what)
        if value is None:
            return None
        if value in out:
            reader.problem(item.mark, f"{what}: '{value}' is listed twice", "list it once")
            return None
        assert isinstance(item, YScalar)
        marks[f"{key}:{value}"] = item.mark
        out.append(value)
    if not out:
        reader.problem(seq.mark, f"{what} is an empty list", f"remove `{key}:` to allow all")
        return None
    return tuple(out)


def _section_pass(reader: Reader, node: YNode, what: str) -> SectionPass | None:
    m = reader.mapping(node, f"{what} pass")
    if m is None or not reader.keys(m, f"{what} pass", ["percent"], ["each_percent"]):
        return None
    percent = reader.integer(m.items["percent"][1], f"{what} pass percent", 0, 100)
    each = None
    if "each_percent" in m.items:
        each = reader.integer(m.items["each_percent"][1], f"{what} pass each_percent", 0, 100)
        if each is None:
            return None
    return None if percent is None else SectionPass(percent, each)


def _overall(reader: Reader, node: YNode, sections: list[Section]) -> OverallPass | None:
    m = reader.mapping(node, "pass (the overall pass rule)")
    if m is None:
        return None
    rule_node = reader.get(m, "rule")
    if rule_node is None:
        reader.keys(m, "pass", ["rule"], ["weights", "percent", "require"])
        return None
    rule = reader.choice_of(rule_node, "pass rule", OVERALL_RULES)
    if rule is None:
        return None
    ids = [s.id for s in sections]
    if rule == "every-section":
        if not reader.keys(m, "pass (rule every-section)", ["rule"]):
            return None
        return OverallPass("every-section")
    if not reader.keys(m, "pass (rule weighted)", ["rule", "weights", "percent"], ["require"]):
        return None
    weights = reader.int_map(m.items["weights"][1], "pass weights", ids, None, 0, 1000)
    percent = reader.integer(m.items["percent"][1], "pass percent", 0, 100)
    require: tuple[str, ...] = ()
    if "require" in m.items:
        req = _id_list(reader, m, "require", "pass require", ids, {})
        if req is None:
            return None
        require = req
    if weights is None or percent is None:
        return None
    if sum(weights.values()) <= 0:
        reader.problem(
            m.items["weights"][1].mark,
            "pass weights add up to 0",
            "give at least one section a weight",
        )
        return None
    return OverallPass("weighted", weights, percent, require)


def check_blueprint(
    bp: Blueprint, bank: Bank | None, scenarios: Mapping[str, Scenario] | None
) -> list[Problem]:
    """What keeps this blueprint from drawing a full exam from this bank and library."""
    problems: list[Problem] = []

    def add(mark: Mark, message: str, fix: str = "") -> None:
        problems.append(Problem(bp.path, mark, message, fix))

    used_scenarios: dict[str, int] = {}
    for section in bp.sections:
        d = section.draw
        if section.kind == "theory" and bank is not None:
            pool = [
                i
                for i in bank.items.values()
                if (not d.topics or i.topic in d.topics) and (not d.kinds or i.kind in d.kinds)
            ]
            for topic in d.topics:
                if not any(i.topic == topic for i in bank.items.values()):
                    add(
                        d.marks.get(f"topics:{topic}", d.marks["draw"]),
                        f"section '{section.id}': the bank has no items on topic '{topic}'",
                        "write some, or drop the topic",
                    )
            wanted = d.tiers or {"any": section.count}
            for tier, n in wanted.items():
                have = len([i for i in pool if tier in ("any", i.tier)])
                if have < n:
                    add(
                        d.marks.get(f"tier:{tier}", d.marks.get("tiers", d.marks["draw"])),
                        f"section '{section.id}' draws {n} {tier if tier != 'any' else ''} "
                        f"items, but the bank has {have} that fit".replace("  ", " "),
                        "lower the count, widen topics or kinds, or add items to the bank",
                    )
        if section.kind in CALL_KINDS and scenarios is not None:
            for sid in d.scenarios:
                if sid not in scenarios:
                    add(
                        d.marks.get(f"scenarios:{sid}", d.marks["draw"]),
                        f"section '{section.id}': no scenario '{sid}' in the library",
                        "see `calldrill list`",
                    )
            scs = [
                sc
                for sc in scenarios.values()
                if (not d.scenarios or sc.id in d.scenarios)
                and (not d.scenario_kinds or sc.kind in d.scenario_kinds)
            ]
            wanted = d.tiers or {"any": section.count}
            for tier, n in wanted.items():
                have = len([sc for sc in scs if tier in ("any", sc.difficulty)])
                # Earlier call sections take their scenarios first.
                taken = used_scenarios.get(tier, 0) + (
                    used_scenarios.get("any", 0) if tier != "any" else 0
                )
                if have - taken < n:
                    label = "" if tier == "any" else f"{tier} "
                    add(
                        d.marks.get(f"tier:{tier}", d.marks.get("difficulty", d.marks["draw"])),
                        f"section '{section.id}' draws {n} {label}scenarios, but the library "
                        f"has {have} that fit"
                        + (f" ({taken} taken by earlier sections)" if taken else ""),
                        "lower the count, or widen the pool",
                    )
                used_scenarios[tier] = used_scenarios.get(tier, 0) + n
    return problems

"""Load tags, the rubric, personas and scenarios from YAML files into the typed model."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar, cast

from simulator.scenario.errors import Mark, ScenarioError
from simulator.scenario.model import (
    DIFFICULTIES,
    DIMENSIONS,
    KINDS,
    LOOP_STEPS,
    OUTCOMES,
    PHASES,
    Branch,
    Choice,
    Concern,
    Dimension,
    Ending,
    Interjection,
    MoodVar,
    Persona,
    Reaction,
    Rubric,
    Scenario,
    State,
    TagDef,
    Text,
    Threshold,
)
from simulator.scenario.reader import Reader, suggest
from simulator.scenario.yamlsafe import YMap, YNode, read_yaml

T = TypeVar("T")
P = ParamSpec("P")

SCHEMA_VERSION = 1
MAX_CHOICES = 9
MOOD_LIMIT = 1000


def _root(reader: Reader, root: YNode, what: str) -> YMap | None:
    m = reader.mapping(root, f"the {what} file")
    if m is None:
        return None
    node = reader.get(m, "schema_version")
    if node is None:
        reader.problem(
            m.mark,
            f"the {what} has no `schema_version`",
            f"add `schema_version: {SCHEMA_VERSION}` as the first line",
        )
        return None
    version = reader.integer(node, "schema_version", 0, 10_000)
    if version is not None and version != SCHEMA_VERSION:
        reader.problem(
            node.mark,
            f"schema_version {version} is not supported",
            f"this calldrill reads schema_version {SCHEMA_VERSION}",
        )
        return None
    return m


def _raise_if(reader: Reader) -> None:
    if reader.problems:
        raise ScenarioError(list(reader.problems))


# Tags and rubric.


def load_tags(path: Path) -> dict[str, TagDef]:
    reader = Reader(path)
    m = _root(reader, read_yaml(path), "tags")
    tags: dict[str, TagDef] = {}
    if m is not None and reader.keys(m, "the tags file", ["schema_version", "tags"]):
        body = reader.mapping(cast(YNode, reader.get(m, "tags")), "tags")
        for key, (knode, node) in body.items.items() if body else []:
            tid = reader.ident(knode, "tag id")
            t = reader.mapping(node, f"tag '{key}'")
            if tid is None or t is None:
                continue
            what = f"tag '{tid}'"
            if not reader.keys(
                t, what, ["name", "explain", "points"], ["loop", "phase", "better", "blocker"]
            ):
                continue
            name = reader.text(cast(YNode, reader.get(t, "name")), f"{what} name")
            explain = reader.text(cast(YNode, reader.get(t, "explain")), f"{what} explain")
            points = reader.int_map(
                cast(YNode, reader.get(t, "points")), f"{what} points", DIMENSIONS, None, -25, 25
            )
            loop = _opt(reader, t, "loop", reader.choice_of, f"{what} loop", LOOP_STEPS)
            phase = _opt(reader, t, "phase", reader.choice_of, f"{what} phase", PHASES)
            better = _opt(reader, t, "better", reader.text, f"{what} better")
            blocker = _opt(reader, t, "blocker", reader.boolean, f"{what} blocker")
            if name and explain and points is not None:
                tags[tid] = TagDef(tid, name, explain, points, loop, phase, better, bool(blocker))
    _raise_if(reader)
    return tags


def load_rubric(path: Path) -> Rubric:
    reader = Reader(path)
    m = _root(reader, read_yaml(path), "rubric")
    rubric: Rubric | None = None
    if m is not None and reader.keys(
        m,
        "the rubric",
        ["schema_version", "pass_mark", "dimensions", "outcome_caps", "blocker_cap"],
    ):
        pass_mark = reader.integer(cast(YNode, reader.get(m, "pass_mark")), "pass_mark", 0, 100)
        dims: dict[str, Dimension] = {}
        body = reader.mapping(cast(YNode, reader.get(m, "dimensions")), "dimensions")
        if body is not None:
            reader.keys(body, "dimensions", DIMENSIONS)
            for did in DIMENSIONS:
                dnode = reader.get(body, did)
                d = reader.mapping(dnode, f"dimension '{did}'") if dnode is not None else None
                if d is None or not reader.keys(d, f"dimension '{did}'", ["name", "criteria"]):
                    continue
                name = reader.text(cast(YNode, reader.get(d, "name")), f"dimension '{did}' name")
                crit = reader.text(
                    cast(YNode, reader.get(d, "criteria")), f"dimension '{did}' criteria"
                )
                if name and crit:
                    dims[did] = Dimension(did, name, crit)
        caps = reader.int_map(
            cast(YNode, reader.get(m, "outcome_caps")), "outcome_caps", OUTCOMES, None, 0, 100
        )
        blocker_cap = reader.integer(
            cast(YNode, reader.get(m, "blocker_cap")), "blocker_cap", 0, 100
        )
        if pass_mark is not None and caps is not None and blocker_cap is not None:
            rubric = Rubric(pass_mark, dims, caps, blocker_cap)
    _raise_if(reader)
    assert rubric is not None
    return rubric


def _opt(
    reader: Reader,
    m: YMap,
    key: str,
    read: Callable[Concatenate[YNode, P], T | None],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T | None:
    """An optional key: None when absent, else ``read(node, *args)``."""
    node = reader.get(m, key)
    return None if node is None else read(node, *args, **kwargs)


# Personas.


def load_persona(path: Path) -> tuple[Persona, Reader]:
    """A persona and the Reader holding the names it refers to (tags), for later checks."""
    reader = Reader(path)
    m = _root(reader, read_yaml(path), "persona")
    persona: Persona | None = None
    if m is not None and reader.keys(
        m,
        "the persona",
        ["schema_version", "id", "name", "signs", "handling", "mood", "reactions"],
        ["thresholds", "interjections"],
    ):
        persona = _persona(reader, m)
    _raise_if(reader)
    assert persona is not None
    return persona, reader


def _persona(r: Reader, m: YMap) -> Persona | None:
    pid = r.ident(cast(YNode, r.get(m, "id")), "persona id")
    if pid is not None and pid != r.path.stem:
        r.problem(
            r.key_mark(m, "id"),
            f"persona id '{pid}' does not match the file name '{r.path.name}'",
            f"rename the file to '{pid}.yaml' or set `id: {r.path.stem}`",
        )
    name = r.text(cast(YNode, r.get(m, "name")), "persona name")
    signs = r.text(cast(YNode, r.get(m, "signs")), "persona signs")
    handling = r.text(cast(YNode, r.get(m, "handling")), "persona handling")
    mood: dict[str, MoodVar] = {}
    body = r.mapping(cast(YNode, r.get(m, "mood")), "mood")
    for key, (knode, node) in body.items.items() if body else []:
        vid = r.ident(knode, "mood variable")
        v = r.mapping(node, f"mood variable '{key}'")
        if vid is None or v is None:
            continue
        what = f"mood variable '{vid}'"
        if not r.keys(v, what, ["start", "label", "good"], ["min", "max"]):
            continue
        lo = _opt(r, v, "min", r.integer, f"{what} min", -MOOD_LIMIT, MOOD_LIMIT)
        hi = _opt(r, v, "max", r.integer, f"{what} max", -MOOD_LIMIT, MOOD_LIMIT)
        lo = 0 if lo is None else lo
        hi = 100 if hi is None else hi
        start = r.integer(cast(YNode, r.get(v, "start")), f"{what} start", lo, hi)
        label = r.text(cast(YNode, r.get(v, "label")), f"{what} label")
        good = r.choice_of(cast(YNode, r.get(v, "good")), f"{what} good", ("low", "high"))
        if lo >= hi:
            r.problem(
                v.mark, f"{what} has min {lo} not below max {hi}", "make min smaller than max"
            )
        elif start is not None and label and good:
            mood[vid] = MoodVar(vid, start, lo, hi, label, "low" if good == "low" else "high")
    if body is not None and not body.items:
        r.problem(
            body.mark,
            "the persona declares no mood variables",
            "declare at least one, e.g. `anger:`",
        )

    def reaction(node: YNode, what: str) -> Reaction | None:
        rm = r.mapping(node, what)
        if rm is None or not r.keys(rm, what, ["tag", "mood", "because"], ["when"]):
            return None
        tag = r.ref_ident(cast(YNode, r.get(rm, "tag")), "tag", f"{what} tag")
        effects = r.int_map(
            cast(YNode, r.get(rm, "mood")),
            f"{what} mood",
            mood.keys(),
            None,
            -MOOD_LIMIT,
            MOOD_LIMIT,
        )
        because = r.text(cast(YNode, r.get(rm, "because")), f"{what} because")
        when_node = r.get(rm, "when")
        when = None if when_node is None else r.condition(when_node, f"{what} when")
        if tag is None or effects is None or because is None:
            return None
        return Reaction(tag, effects, because, when)

    def threshold(node: YNode, what: str) -> Threshold | None:
        tm = r.mapping(node, what)
        if tm is None or not r.keys(tm, what, ["when", "event"]):
            return None
        when = r.condition(cast(YNode, r.get(tm, "when")), f"{what} when")
        event = r.ident(cast(YNode, r.get(tm, "event")), f"{what} event")
        return None if when is None or event is None else Threshold(when, event)

    def interjection(node: YNode, what: str) -> Interjection | None:
        im = r.mapping(node, what)
        if im is None or not r.keys(
            im, what, ["id", "every", "line", "because"], ["reset_by", "mood"]
        ):
            return None
        iid = r.ident(cast(YNode, r.get(im, "id")), f"{what} id")
        every = r.integer(cast(YNode, r.get(im, "every")), f"{what} every", 1, 100)
        reset = _opt(
            r,
            im,
            "reset_by",
            r.list_of,
            f"{what} reset_by",
            lambda x, w: r.ref_ident(x, "tag", w),
        )
        lines = r.lines(cast(YNode, r.get(im, "line")), f"{what} line")
        effects = _opt(
            r,
            im,
            "mood",
            r.int_map,
            f"{what} mood",
            mood.keys(),
            None,
            -MOOD_LIMIT,
            MOOD_LIMIT,
        )
        because = r.text(cast(YNode, r.get(im, "because")), f"{what} because")
        if iid is None or every is None or lines is None or because is None:
            return None
        return Interjection(
            iid,
            every,
            tuple(cast(list[str], reset or [])),
            lines,
            cast(dict[str, int], effects or {}),
            because,
        )

    reactions = r.list_of(cast(YNode, r.get(m, "reactions")), "reactions", reaction)
    thresholds = _opt(r, m, "thresholds", r.list_of, "thresholds", threshold)
    interjections = _opt(r, m, "interjections", r.list_of, "interjections", interjection)
    # Conditions inside a persona may only name its own mood variables.
    for ref in r.refs:
        if ref.kind == "mood" and ref.value not in mood:
            r.problem(
                ref.mark,
                f"unknown mood variable '{ref.value}'",
                _hint(ref.value, mood, "declare it under `mood:`"),
            )
        elif ref.kind in ("event", "choice", "state"):
            r.problem(
                ref.mark,
                f"a persona cannot test scenario {ref.kind}s ('{ref.value}')",
                "use mood or tag_used conditions in personas",
            )
    if pid is None or name is None or signs is None or handling is None or reactions is None:
        return None
    return Persona(
        pid,
        name,
        signs,
        handling,
        mood,
        tuple(reactions),
        tuple(cast(list[Threshold], thresholds or [])),
        tuple(cast(list[Interjection], interjections or [])),
    )


def _hint(value: str, options: Mapping[str, object] | tuple[str, ...], fallback: str) -> str:
    return suggest(value, options) or fallback


# Scenarios.

SCENARIO_REQUIRED = (
    "schema_version",
    "id",
    "version",
    "title",
    "kind",
    "persona",
    "difficulty",
    "skills",
    "brief",
    "goal",
    "customer",
    "concerns",
    "start",
    "states",
    "endings",
)
SCENARIO_OPTIONAL = ("persona_overrides", "pass_mark", "three_yes", "on_persona_event")
# (required, optional) keys of each object in a scenario file; the JSON Schema is tested
# against these, so the published schema cannot drift from what the loader accepts.
STATE_KEYS = (("phase", "line", "choices"), ("concern",))
CHOICE_KEYS = (("id", "text", "tags", "feedback"), ("points", "mood", "sets", "next", "branches"))
BRANCH_KEYS = (("next",), ("when",))
ENDING_KEYS = (("outcome", "line", "summary"), ("points",))
CONCERN_KEYS = (("id", "summary"), ())
OVERRIDE_KEYS = ((), ("mood", "reactions"))


def read_scenario(
    path: Path, personas: Mapping[str, Persona], data: bytes | None = None
) -> tuple[Scenario | None, Reader, dict[str, Mark]]:
    """Read a scenario's structure. Cross-references are checked by ``checks``."""
    reader = Reader(path)
    marks: dict[str, Mark] = {}
    m = _root(reader, read_yaml(path, data), "scenario")
    if m is None or not reader.keys(m, "the scenario", SCENARIO_REQUIRED, SCENARIO_OPTIONAL):
        return None, reader, marks
    return _scenario(reader, m, personas, marks), reader, marks


def _scenario(
    r: Reader, m: YMap, personas: Mapping[str, Persona], marks: dict[str, Mark]
) -> Scenario | None:
    def req(key: str) -> YNode:
        return cast(YNode, r.get(m, key))

    sid = r.ident(req("id"), "scenario id")
    if sid is not None and sid != r.path.stem:
        r.problem(
            r.key_mark(m, "id"),
            f"scenario id '{sid}' does not match the file name '{r.path.name}'",
            f"rename the file to '{sid}.yaml' or set `id: {r.path.stem}`",
        )
    version = r.integer(req("version"), "version", 1, 1_000_000)
    title = r.text(req("title"), "title")
    kind = r.choice_of(req("kind"), "kind", KINDS)
    persona_id = r.ident(req("persona"), "persona")
    persona = None
    if persona_id is not None:
        persona = personas.get(persona_id)
        if persona is None:
            r.problem(
                req("persona").mark,
                f"unknown persona '{persona_id}'",
                _hint(
                    persona_id,
                    tuple(personas),
                    "personas are files in scenarios/personas/: " + ", ".join(sorted(personas)),
                ),
            )
    if persona is not None and "persona_overrides" in m.items:
        persona = _override(r, persona, req("persona_overrides"))
    difficulty = r.choice_of(req("difficulty"), "difficulty", DIFFICULTIES)
    skills = r.list_of(req("skills"), "skills", lambda n, w: r.ref_ident(n, "tag", w))
    pass_mark = _opt(r, m, "pass_mark", r.integer, "pass_mark", 0, 100)
    brief = r.text(req("brief"), "brief")
    goal = r.text(req("goal"), "goal")

    customer: dict[str, Text] = {}
    cm = r.mapping(req("customer"), "customer")
    if cm is not None:
        if "name" not in cm.items:
            r.problem(
                cm.mark, "customer is missing the required key 'name'", "add `name: {zh: …, en: …}`"
            )
        for knode, node in cm.items.values():
            fid = r.ident(knode, "customer fact name")
            if fid is None:
                continue
            if isinstance(node, YMap):
                value = r.text(node, f"customer {fid}")
            else:
                s = r.string(node, f"customer {fid}")
                value = None if s is None else Text(s, s)
            if value is not None:
                customer[fid] = value

    def concern(node: YNode, what: str) -> Concern | None:
        cm2 = r.mapping(node, what)
        if cm2 is None or not r.keys(cm2, what, *CONCERN_KEYS):
            return None
        cid = r.ident(cast(YNode, r.get(cm2, "id")), f"{what} id")
        summary = r.text(cast(YNode, r.get(cm2, "summary")), f"{what} summary")
        if cid is not None:
            if f"concern:{cid}" in marks:
                r.problem(
                    cm2.mark, f"concern id '{cid}' is used twice", "give each concern its own id"
                )
            marks[f"concern:{cid}"] = cm2.mark
            r.declare("concern", cid)
        return None if cid is None or summary is None else Concern(cid, summary)

    concerns = r.list_of(req("concerns"), "concerns", concern)
    if concerns is not None and not concerns:
        r.problem(
            req("concerns").mark,
            "the scenario lists no concerns",
            "name at least one issue the customer brings",
        )
    three_yes_goal = None
    if "three_yes" in m.items:
        tm = r.mapping(req("three_yes"), "three_yes")
        if tm is not None and r.keys(tm, "three_yes", ["goal"]):
            three_yes_goal = r.text(cast(YNode, r.get(tm, "goal")), "three_yes goal")

    states: dict[str, State] = {}
    sm = r.mapping(req("states"), "states")
    for knode, node in sm.items.values() if sm else []:
        state_id = r.ident(knode, "state id")
        if state_id is None:
            continue
        marks[state_id] = knode.mark
        r.declare("state", state_id)
        st = _state(r, state_id, node)
        if st is not None:
            states[state_id] = st
    if sm is not None and not sm.items:
        r.problem(sm.mark, "the scenario has no states", "add at least the start state")

    endings: dict[str, Ending] = {}
    em = r.mapping(req("endings"), "endings")
    for knode, node in em.items.values() if em else []:
        end_id = r.ident(knode, "ending id")
        if end_id is None:
            continue
        if end_id in marks:
            r.problem(
                knode.mark,
                f"'{end_id}' is both a state and an ending",
                "states and endings share one set of ids: rename one",
            )
            continue
        marks[end_id] = knode.mark
        r.declare("ending", end_id)
        en = _ending(r, end_id, node)
        if en is not None:
            endings[end_id] = en
    if em is not None and not em.items:
        r.problem(em.mark, "the scenario has no endings", "add at least one ending")

    start_node = req("start")
    start = r.ref_ident(start_node, "node", "start", "start")
    on_event: dict[str, str] = {}
    if "on_persona_event" in m.items:
        om = r.mapping(req("on_persona_event"), "on_persona_event")
        for key, (knode, node) in om.items.items() if om else []:
            ev = r.ident(knode, "persona event")
            target = r.ref_ident(node, "node", f"on_persona_event '{key}'", "event-target")
            if ev is not None and persona is not None and ev not in persona.events:
                r.problem(
                    knode.mark,
                    f"persona '{persona.id}' never forces the event '{ev}'",
                    _hint(ev, persona.events, "remove this line"),
                )
            if ev is not None and target is not None:
                on_event[ev] = target
    if persona is not None:
        for ev in persona.events:
            if ev not in on_event:
                r.problem(
                    r.key_mark(m, "persona"),
                    f"persona '{persona.id}' can force the event '{ev}' but the scenario "
                    "does not say where it leads",
                    f"add `on_persona_event: {{{ev}: <ending id>}}`",
                )

    if (
        sid is None
        or version is None
        or title is None
        or kind is None
        or persona is None
        or difficulty is None
        or skills is None
        or brief is None
        or goal is None
        or concerns is None
        or start is None
    ):
        return None
    return Scenario(
        id=sid,
        version=version,
        title=title,
        kind=kind,
        persona=persona,
        difficulty=difficulty,
        skills=tuple(skills),
        brief=brief,
        goal=goal,
        customer=customer,
        concerns=tuple(concerns),
        start=start,
        states=states,
        endings=endings,
        on_persona_event=on_event,
        pass_mark=pass_mark,
        three_yes_goal=three_yes_goal,
        source=str(r.path),
    )


def _override(r: Reader, persona: Persona, node: YNode) -> Persona:
    om = r.mapping(node, "persona_overrides")
    if om is None or not r.keys(om, "persona_overrides", *OVERRIDE_KEYS):
        return persona
    mood = dict(persona.mood)
    mnode = r.get(om, "mood")
    mm = r.mapping(mnode, "persona_overrides mood") if mnode is not None else None
    for key, (knode, vnode) in mm.items.items() if mm else []:
        if key not in mood:
            r.problem(
                knode.mark,
                f"persona '{persona.id}' has no mood variable '{key}'",
                _hint(key, mood, f"its variables are: {', '.join(mood)}"),
            )
            continue
        vm = r.mapping(vnode, f"override of '{key}'")
        if vm is None or not r.keys(vm, f"override of '{key}'", [], ["start", "min", "max"]):
            continue
        base = mood[key]
        lo = _opt(r, vm, "min", r.integer, f"{key} min", -MOOD_LIMIT, MOOD_LIMIT)
        hi = _opt(r, vm, "max", r.integer, f"{key} max", -MOOD_LIMIT, MOOD_LIMIT)
        lo = base.min if lo is None else lo
        hi = base.max if hi is None else hi
        start = _opt(r, vm, "start", r.integer, f"{key} start", lo, hi)
        mood[key] = MoodVar(
            key, base.start if start is None else start, lo, hi, base.label, base.good
        )
    reactions = list(persona.reactions)
    rnode = r.get(om, "reactions")
    rm = r.mapping(rnode, "persona_overrides reactions") if rnode is not None else None
    for key, (knode, vnode) in rm.items.items() if rm else []:
        r.ref("tag", knode, "persona_overrides reactions")
        effects = r.int_map(
            vnode, f"override of reaction '{key}'", mood.keys(), None, -MOOD_LIMIT, MOOD_LIMIT
        )
        if effects is None:
            continue
        found = False
        for i, reaction in enumerate(reactions):
            if reaction.tag == key:
                reactions[i] = Reaction(key, effects, reaction.because, reaction.when)
                found = True
        if not found:
            r.problem(
                knode.mark,
                f"persona '{persona.id}' has no reaction to the tag '{key}'",
                "overrides change existing reactions; add new ones to the persona file",
            )
    return Persona(
        persona.id,
        persona.name,
        persona.signs,
        persona.handling,
        mood,
        tuple(reactions),
        persona.thresholds,
        persona.interjections,
    )


def _state(r: Reader, state_id: str, node: YNode) -> State | None:
    what = f"state '{state_id}'"
    sm = r.mapping(node, what)
    if sm is None or not r.keys(sm, what, *STATE_KEYS):
        return None
    phase = r.choice_of(cast(YNode, r.get(sm, "phase")), f"{what} phase", PHASES)
    concern = _opt(r, sm, "concern", r.ref_ident, "concern", f"{what} concern")
    lines = r.lines(cast(YNode, r.get(sm, "line")), f"{what} line")
    choices_node = cast(YNode, r.get(sm, "choices"))
    seq = r.sequence(choices_node, f"{what} choices")
    choices: list[Choice] = []
    if seq is not None:
        if not seq.items:
            r.problem(
                seq.mark,
                f"{what} has no choices, so the call can't go on from here",
                "give the trainee at least two replies, or make it an ending",
            )
        elif len(seq.items) > MAX_CHOICES:
            r.problem(
                seq.mark,
                f"{what} has {len(seq.items)} choices",
                f"keep it to {MAX_CHOICES} so number keys reach them all",
            )
        seen: set[str] = set()
        for i, item in enumerate(seq.items):
            c = _choice(r, f"{what} choice {i + 1}", item, state_id)
            if c is None:
                continue
            if c.id in seen:
                r.problem(
                    item.mark,
                    f"choice id '{c.id}' is used twice in {what}",
                    "give each choice in a state its own id",
                )
                continue
            seen.add(c.id)
            choices.append(c)
    if phase is None or lines is None:
        return None
    return State(state_id, phase, lines, tuple(choices), concern)


def _choice(r: Reader, what: str, node: YNode, state_id: str) -> Choice | None:
    cm = r.mapping(node, what)
    if cm is None or not r.keys(cm, what, *CHOICE_KEYS):
        return None
    cid = r.ident(cast(YNode, r.get(cm, "id")), f"{what} id")
    if cid is not None:
        what = f"{what} ('{cid}')"
        r.declare("choice", cid)
        r.declare("choice", f"{state_id}.{cid}")
    text = r.text(cast(YNode, r.get(cm, "text")), f"{what} text")
    tags = r.list_of(
        cast(YNode, r.get(cm, "tags")), f"{what} tags", lambda n, w: r.ref_ident(n, "tag", w)
    )
    feedback = r.text(cast(YNode, r.get(cm, "feedback")), f"{what} feedback")
    points = _opt(r, cm, "points", r.int_map, f"{what} points", DIMENSIONS, None, -25, 25)
    mood = _opt(r, cm, "mood", r.int_map, f"{what} mood", None, "mood", -MOOD_LIMIT, MOOD_LIMIT)
    sets = _opt(r, cm, "sets", r.list_of, f"{what} sets", r.ident)
    for flag in sets or []:
        r.declare("event", flag)
    branches: list[Branch] = []
    has_next, has_branches = "next" in cm.items, "branches" in cm.items
    if has_next == has_branches:
        r.problem(
            cm.mark,
            f"{what} needs exactly one of `next:` or `branches:`",
            "use `next: <state>` for one target, `branches:` for conditional ones",
        )
    elif has_next:
        target = r.ref_ident(cast(YNode, r.get(cm, "next")), "node", f"{what} next", "next")
        if target is not None:
            branches.append(Branch(target))
    else:
        bseq = r.sequence(cast(YNode, r.get(cm, "branches")), f"{what} branches")
        items = bseq.items if bseq else []
        if bseq is not None and not items:
            r.problem(
                bseq.mark, f"{what} branches is empty", "give at least a default `- next: <state>`"
            )
        for i, bnode in enumerate(items):
            bw = f"{what} branch {i + 1}"
            bm = r.mapping(bnode, bw)
            if bm is None or not r.keys(bm, bw, *BRANCH_KEYS):
                continue
            last = i == len(items) - 1
            when = None
            if "when" in bm.items:
                when = r.condition(cast(YNode, r.get(bm, "when")), f"{bw} when")
                if last:
                    r.problem(
                        bm.mark,
                        f"{what}: the last branch has a `when:`, so no branch may apply",
                        "end the list with a default branch that has only `next:`",
                    )
            elif not last:
                r.problem(
                    bm.mark,
                    f"{bw} has no `when:`, so the branches after it never apply",
                    "add a `when:` or move it to the end as the default",
                )
            target = r.ref_ident(cast(YNode, r.get(bm, "next")), "node", f"{bw} next", "next")
            if target is not None:
                branches.append(Branch(target, when))
    if cid is None or text is None or tags is None or feedback is None or not branches:
        return None
    return Choice(
        cid,
        text,
        tuple(tags),
        feedback,
        tuple(branches),
        cast(dict[str, int], points or {}),
        cast(dict[str, int], mood or {}),
        tuple(cast(list[str], sets or [])),
    )


def _ending(r: Reader, end_id: str, node: YNode) -> Ending | None:
    what = f"ending '{end_id}'"
    em = r.mapping(node, what)
    if em is None or not r.keys(em, what, *ENDING_KEYS):
        return None
    outcome = r.choice_of(cast(YNode, r.get(em, "outcome")), f"{what} outcome", OUTCOMES)
    lines = r.lines(cast(YNode, r.get(em, "line")), f"{what} line")
    summary = r.text(cast(YNode, r.get(em, "summary")), f"{what} summary")
    points = _opt(r, em, "points", r.int_map, f"{what} points", DIMENSIONS, None, -25, 25)
    if outcome is None or lines is None or summary is None:
        return None
    return Ending(end_id, outcome, lines, summary, cast(dict[str, int], points or {}))

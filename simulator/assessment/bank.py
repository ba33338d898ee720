"""Load and check the question bank: one YAML file per topic (docs/assessment.md).

Files are read with the same hostile-YAML-proof reader as scenarios, and every problem
is reported with its file, line and column and a fix, all of a file's at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from simulator.assessment.model import ITEM_KINDS, TIERS, TOPICS, Bank, Item, KeyPoint, Option
from simulator.scenario.errors import Mark, Problem, ScenarioError
from simulator.scenario.model import LANGS
from simulator.scenario.reader import Reader
from simulator.scenario.yamlsafe import YNode, read_yaml

SCHEMA_VERSION = 1
OPTION_IDS = "abcdef"
MIN_OPTIONS, MAX_OPTIONS = 3, 6
MIN_KEY_POINTS, MAX_KEY_POINTS = 2, 5
MAX_POINTS = 100

_ITEM_KEYS = ("id", "kind", "tier", "points", "source", "question", "explanation")
_KIND_KEYS = {
    "single": ("options",),
    "multiple": ("options",),
    "true-false": ("answer",),
    "short": ("key_points", "pass_points"),
}
_ALL_KIND_KEYS = ("options", "answer", "key_points", "pass_points")


def bank_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, folders expanded to the files in them (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.glob("*.yaml") if p.is_file())
        else:
            out.append(path)
    return out


def digest_files(files: Iterable[Path]) -> str:
    """sha256 over each file's name and the sha256 of its bytes, in name order."""
    h = hashlib.sha256(b"calldrill-bank/1\n")
    for path in sorted(files, key=lambda p: p.name):
        h.update(f"{path.name}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return h.hexdigest()


def load_bank(paths: Iterable[Path]) -> Bank:
    """Every item of the bank files (folders are expanded); raises ScenarioError listing
    every problem found, in every file, when there is any."""
    files = bank_files(paths)
    problems: list[Problem] = []
    unusable = False
    items: dict[str, Item] = {}
    if not files:
        raise ScenarioError(
            [Problem(Path(), Mark(1, 1), "no question bank files found", "add <topic>.yaml files")],
            unusable=True,
        )
    for path in files:
        try:
            file_items, file_problems = read_bank_file(path)
        except ScenarioError as exc:
            problems += exc.problems
            unusable = unusable or exc.unusable
            continue
        problems += file_problems
        for item in file_items:
            first = items.get(item.id)
            if first is not None:
                problems.append(
                    Problem(
                        path,
                        item.mark,
                        f"item id '{item.id}' is already used in "
                        f"{first.path.name}:{first.mark.line}",
                        "give each item an id of its own, e.g. <topic>-<number>",
                    )
                )
                continue
            items[item.id] = item
    if problems:
        raise ScenarioError(
            sorted(problems, key=lambda p: (str(p.path), p.mark.line, p.mark.column)),
            unusable=unusable,
        )
    return Bank(items=items, files=tuple(files), digest=digest_files(files))


def read_bank_file(path: Path, data: bytes | None = None) -> tuple[list[Item], list[Problem]]:
    """The items of one topic file and the problems found in it (raises ScenarioError
    only when the file is not readable YAML)."""
    reader = Reader(path)
    root = read_yaml(path, data)
    items: list[Item] = []
    m = reader.mapping(root, "the question bank file")
    if m is None or not reader.keys(
        m, "the question bank file", ["schema_version", "topic", "items"]
    ):
        return items, reader.problems
    version = reader.integer(m.items["schema_version"][1], "schema_version", 0, 10_000)
    if version is not None and version != SCHEMA_VERSION:
        reader.problem(
            m.items["schema_version"][1].mark,
            f"schema_version {version} is not supported",
            f"this calldrill reads schema_version {SCHEMA_VERSION}",
        )
        return items, reader.problems
    topic = reader.choice_of(m.items["topic"][1], "topic", TOPICS)
    if topic is not None and topic != path.stem:
        reader.problem(
            m.items["topic"][1].mark,
            f"the file of topic '{topic}' is called {path.name}",
            f"rename the file to {topic}.yaml, or fix the topic",
        )
    seq = reader.sequence(m.items["items"][1], "items")
    if seq is None:
        return items, reader.problems
    if not seq.items:
        reader.problem(seq.mark, "the file has no items", "add at least one `- id: …`")
    seen: dict[str, Mark] = {}
    for n, node in enumerate(seq.items, start=1):
        item = _item(reader, node, f"item {n}", topic or path.stem, path)
        if item is None:
            continue
        if item.id in seen:
            reader.problem(
                item.mark,
                f"item id '{item.id}' is already used at line {seen[item.id].line}",
                "give each item an id of its own",
            )
            continue
        seen[item.id] = item.mark
        items.append(item)
    return items, reader.problems


def _item(reader: Reader, node: YNode, what: str, topic: str, path: Path) -> Item | None:
    m = reader.mapping(node, what)
    if m is None:
        return None
    id_node = reader.get(m, "id")
    item_id = reader.ident(id_node, f"{what} id") if id_node is not None else None
    if item_id is not None:
        what = f"item '{item_id}'"
    kind_node = reader.get(m, "kind")
    kind = reader.choice_of(kind_node, f"{what} kind", ITEM_KINDS) if kind_node else None
    allowed = _KIND_KEYS.get(kind or "", _ALL_KIND_KEYS)
    complete = reader.keys(m, what, _ITEM_KEYS + allowed)
    for key in _ALL_KIND_KEYS:
        if key in m.items and key not in allowed and kind is not None:
            reader.problem(
                reader.key_mark(m, key),
                f"{what} is a {kind} item: `{key}` belongs to "
                + " and ".join(k for k, keys in _KIND_KEYS.items() if key in keys)
                + " items",
                f"remove `{key}:`, or change the kind",
            )
    if not complete or kind is None or item_id is None:
        return None
    tier = reader.choice_of(m.items["tier"][1], f"{what} tier", TIERS)
    points = reader.integer(m.items["points"][1], f"{what} points", 1, MAX_POINTS)
    source = reader.string(m.items["source"][1], f"{what} source")
    question = reader.text(m.items["question"][1], f"{what} question")
    explanation = reader.text(m.items["explanation"][1], f"{what} explanation")
    options: tuple[Option, ...] = ()
    answer: bool | None = None
    key_points: tuple[KeyPoint, ...] = ()
    pass_points = 0
    ok = True
    if kind in ("single", "multiple"):
        read = _options(reader, m.items["options"][1], what, kind)
        ok = read is not None
        options = read or ()
    elif kind == "true-false":
        answer = reader.boolean(m.items["answer"][1], f"{what} answer")
        ok = answer is not None
    else:
        kps = _key_points(reader, m.items["key_points"][1], what)
        pp = reader.integer(m.items["pass_points"][1], f"{what} pass_points", 1, MAX_KEY_POINTS)
        if kps is not None and pp is not None and pp > len(kps):
            reader.problem(
                m.items["pass_points"][1].mark,
                f"{what} pass_points is {pp} but it has {len(kps)} key points",
                f"use a number from 1 to {len(kps)}",
            )
            pp = None
        ok = kps is not None and pp is not None
        key_points, pass_points = kps or (), pp or 0
    if None in (tier, points, source, question, explanation) or not ok:
        return None
    assert tier is not None and points is not None and source is not None
    assert question is not None and explanation is not None
    return Item(
        id=item_id,
        topic=topic,
        kind=kind,
        tier=tier,
        points=points,
        source=source,
        question=question,
        explanation=explanation,
        options=options,
        answer=answer,
        key_points=key_points,
        pass_points=pass_points,
        path=path,
        mark=m.mark,
    )


def _options(reader: Reader, node: YNode, what: str, kind: str) -> tuple[Option, ...] | None:
    seq = reader.sequence(node, f"{what} options")
    if seq is None:
        return None
    if not MIN_OPTIONS <= len(seq.items) <= MAX_OPTIONS:
        reader.problem(
            seq.mark,
            f"{what} has {len(seq.items)} options",
            f"give {MIN_OPTIONS} to {MAX_OPTIONS} options",
        )
        return None
    out: list[Option] = []
    ok = True
    for n, opt_node in enumerate(seq.items):
        expected = OPTION_IDS[n]
        om = reader.mapping(opt_node, f"{what} option {n + 1}")
        if om is None or not reader.keys(om, f"{what} option {n + 1}", ["id", "text"], ["correct"]):
            ok = False
            continue
        id_node = om.items["id"][1]
        oid = reader.scalar(id_node, f"{what} option {n + 1} id")
        if oid is not None and oid.value != expected:
            reader.problem(
                oid.mark,
                f"{what} option {n + 1} has the id '{oid.value}'",
                f"options are lettered in order: a, b, c…; this one is '{expected}'",
            )
            ok = False
        text = reader.text(om.items["text"][1], f"{what} option {expected}")
        correct = False
        if "correct" in om.items:
            value = reader.boolean(om.items["correct"][1], f"{what} option {expected} correct")
            correct = bool(value)
            ok = ok and value is not None
        if text is None or oid is None:
            ok = False
            continue
        out.append(Option(expected, text, correct))
    if not ok:
        return None
    right = sum(o.correct for o in out)
    if kind == "single" and right != 1:
        reader.problem(
            seq.mark,
            f"{what} is single choice but has {right} correct options",
            "mark exactly one option `correct: true`",
        )
        return None
    if kind == "multiple" and not 2 <= right < len(out):
        reader.problem(
            seq.mark,
            f"{what} is multiple choice with {right} of {len(out)} options correct",
            "mark at least two options `correct: true`, and leave at least one wrong",
        )
        return None
    texts = [o.text.zh for o in out]
    if len(set(texts)) != len(texts):
        reader.problem(seq.mark, f"{what} has two options with the same text", "reword one")
        return None
    return tuple(out)


def _key_points(reader: Reader, node: YNode, what: str) -> tuple[KeyPoint, ...] | None:
    seq = reader.sequence(node, f"{what} key_points")
    if seq is None:
        return None
    if not MIN_KEY_POINTS <= len(seq.items) <= MAX_KEY_POINTS:
        reader.problem(
            seq.mark,
            f"{what} has {len(seq.items)} key points",
            f"give {MIN_KEY_POINTS} to {MAX_KEY_POINTS} key points",
        )
        return None
    out: list[KeyPoint] = []
    ok = True
    for n, kp_node in enumerate(seq.items, start=1):
        where = f"{what} key point {n}"
        km = reader.mapping(kp_node, where)
        if km is None or not reader.keys(km, where, ["text", "keywords"]):
            ok = False
            continue
        text = reader.text(km.items["text"][1], f"{where} text")
        keywords = _keywords(reader, km.items["keywords"][1], where)
        if text is None or keywords is None:
            ok = False
            continue
        out.append(KeyPoint(text, keywords))
    return tuple(out) if ok else None


def _keywords(reader: Reader, node: YNode, where: str) -> dict[str, tuple[str, ...]] | None:
    km = reader.mapping(node, f"{where} keywords (`zh: [...]` and `en: [...]`)")
    if km is None or not reader.keys(km, f"{where} keywords", list(LANGS)):
        return None
    out: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        vnode = km.items[lang][1]
        seq = reader.sequence(vnode, f"{where} keywords ({lang})")
        if seq is None:
            return None
        if not seq.items:
            reader.problem(seq.mark, f"{where} has no {lang} keywords", "give at least one")
            return None
        words: list[str] = []
        for w in seq.items:
            value = reader.string(w, f"{where} keyword ({lang})")
            if value is None:
                return None
            words.append(value)
        out[lang] = tuple(words)
    return out

"""Read untrusted YAML into a small tree of positioned nodes.

PyYAML's own composer is not used: it expands aliases (a 300-byte alias bomb takes
tens of seconds to validate), accepts duplicate keys silently, and the C composer
recurses, so deep nesting crashes the interpreter. Instead the event stream is read
once, with limits checked as each event arrives, and the tree is built iteratively.
Scalars stay strings; the caller decides what a scalar may mean where it stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulator.scenario.errors import Mark, Problem, ScenarioError

MAX_BYTES = 512 * 1024
MAX_DEPTH = 32
MAX_EVENTS = 200_000
MAX_SCALAR = 10_000

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(slots=True)
class YScalar:
    value: str
    plain: bool
    mark: Mark


@dataclass(slots=True)
class YSeq:
    mark: Mark
    items: list[YNode] = field(default_factory=list)


@dataclass(slots=True)
class YMap:
    mark: Mark
    items: dict[str, tuple[YScalar, YNode]] = field(default_factory=dict)


YNode = YScalar | YSeq | YMap


def _mark(m: Any) -> Mark:  # yaml.Mark or the C parser's own mark type
    return Mark(m.line + 1, m.column + 1)


def read_yaml(path: Path, data: bytes | None = None) -> YNode:
    """Parse one YAML document from ``path`` into nodes, or raise ScenarioError."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ScenarioError(
                [
                    Problem(
                        path,
                        Mark(1, 1),
                        f"cannot read the file: {exc.strerror or exc}",
                        "check the path",
                    )
                ],
                unusable=True,
            ) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(
            [
                Problem(
                    path,
                    Mark(1, 1),
                    f"file is {len(data)} bytes, over the {MAX_BYTES} limit",
                    "split the call into smaller scenarios",
                )
            ],
            unusable=True,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            [Problem(path, Mark(line, col), "the file is not UTF-8 text", "save it as UTF-8")],
            unusable=True,
        ) from None
    return _build(path, text)


def _fail(path: Path, mark: Mark, message: str, fix: str) -> ScenarioError:
    return ScenarioError([Problem(path, mark, message, fix)])


def _build(path: Path, text: str) -> YNode:
    stack: list[YSeq | YMap] = []
    pending_key: list[YScalar | None] = []
    root: YNode | None = None
    documents = 0
    count = 0

    def attach(node: YNode) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.__class__ is YSeq:
            parent.items.append(node)
            return
        assert isinstance(parent, YMap)
        key = pending_key[-1]
        if key is None:
            if node.__class__ is not YScalar:
                raise _fail(
                    path,
                    node.mark,
                    "a mapping key must be a plain word",
                    "use a simple key such as `id:`",
                )
            if node.value == "<<" and node.plain:
                raise _fail(
                    path,
                    node.mark,
                    "merge keys (`<<`) are not allowed",
                    "write the keys out in full",
                )
            if node.value in parent.items:
                first = parent.items[node.value][0].mark
                raise _fail(
                    path,
                    node.mark,
                    f"duplicate key '{node.value}' (first at line {first.line})",
                    "remove one of the two, or rename it",
                )
            pending_key[-1] = node
        else:
            parent.items[key.value] = (key, node)
            pending_key[-1] = None

    scalar_cls, alias_cls = yaml.ScalarEvent, yaml.AliasEvent
    mapping_cls, sequence_cls = yaml.MappingStartEvent, yaml.SequenceStartEvent
    end_classes = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        events: Iterator[Any] = yaml.parse(text, Loader=_Loader)  # dispatched by class below
        for event in events:
            count += 1
            cls = event.__class__
            if cls is scalar_cls or cls is mapping_cls or cls is sequence_cls:
                if event.anchor is not None:
                    raise _fail(
                        path,
                        _mark(event.start_mark),
                        f"anchors (`&{event.anchor}`) are not allowed",
                        "remove the anchor and write repeated text out in full",
                    )
                tag = event.tag
                if tag is not None and tag != "!":
                    raise _fail(
                        path,
                        _mark(event.start_mark),
                        f"explicit YAML tags (`{tag}`) are not allowed",
                        "remove the tag; quote the value if it must stay text",
                    )
                if count > MAX_EVENTS:
                    raise _fail(
                        path,
                        _mark(event.start_mark),
                        "the file has too many YAML nodes",
                        "split the call into smaller scenarios",
                    )
                if cls is scalar_cls:
                    value = event.value
                    if len(value) > MAX_SCALAR:
                        raise _fail(
                            path,
                            _mark(event.start_mark),
                            f"a value of {len(value)} characters is too long",
                            f"keep each value under {MAX_SCALAR} characters",
                        )
                    plain = event.style in (None, "") and event.implicit[0]
                    attach(YScalar(value, plain, _mark(event.start_mark)))
                    continue
                if len(stack) >= MAX_DEPTH:
                    raise _fail(
                        path,
                        _mark(event.start_mark),
                        f"nesting deeper than {MAX_DEPTH} levels",
                        "flatten the structure",
                    )
                node: YSeq | YMap = (YSeq if cls is sequence_cls else YMap)(_mark(event.start_mark))
                attach(node)
                stack.append(node)
                pending_key.append(None)
            elif cls in end_classes:
                stack.pop()
                pending_key.pop()
            elif cls is alias_cls:
                raise _fail(
                    path,
                    _mark(event.start_mark),
                    f"aliases (`*{event.anchor}`) are not allowed",
                    "write the repeated text out in full",
                )
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _fail(
                        path,
                        _mark(event.start_mark),
                        "more than one YAML document in the file",
                        "keep one scenario per file and remove the `---` separator",
                    )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        what = (exc.problem or "invalid YAML").strip()
        if exc.context:
            what = f"{exc.context.strip()}, {what}"
        raise ScenarioError(
            [
                Problem(
                    path,
                    where,
                    f"not valid YAML: {what}",
                    "check indentation, colons and quotes around this point",
                )
            ],
            unusable=True,
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(
            [Problem(path, Mark(1, 1), f"not valid YAML: {exc}", "check the file's syntax")],
            unusable=True,
        ) from None
    if root is None:
        raise ScenarioError(
            [
                Problem(
                    path,
                    Mark(1, 1),
                    "the file is empty",
                    "start from `calldrill new` or the example in docs/scenario-format.md",
                )
            ],
            unusable=True,
        )
    return root

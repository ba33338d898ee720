"""Turn positioned YAML nodes into typed values, collecting every problem found.

A Reader never stops at the first problem: it records each one with its file, line
and column and a fix, and returns None for the part it could not read, so an author
sees all of a file's mistakes in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from simulator.scenario.errors import Mark, Problem
from simulator.scenario.model import (
    LANGS,
    AllCond,
    AnyCond,
    ChoseCond,
    Condition,
    EventCond,
    MoodCond,
    NotCond,
    TagUsedCond,
    Text,
    TurnCond,
    VisitedCond,
)
from simulator.scenario.text import strip_control
from simulator.scenario.yamlsafe import YMap, YNode, YScalar, YSeq

__all__ = ["Reader", "Ref", "strip_control", "suggest", "yaml11_reading"]

T = TypeVar("T")

ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_ID = 48
MAX_TEXT = 4000

# What YAML 1.1 tools (and PyYAML's own resolver) would read as something other than text.
_YAML11_BOOL = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
    r"|on|On|ON|off|Off|OFF)$"
)
_YAML11_NULL = re.compile(r"^(?:~|null|Null|NULL)$")
_YAML11_NUMBER = re.compile(
    r"^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_YAML11_DATE = re.compile(r"^\d{4}-\d\d?-\d\d?")
_INT = re.compile(r"^[-+]?[0-9]+$")


def yaml11_reading(value: str) -> str | None:
    """What an unquoted value would become under YAML 1.1, or None if it stays text."""
    if _YAML11_BOOL.match(value):
        return "a true/false value"
    if _YAML11_NULL.match(value):
        return "an empty value (null)"
    if _YAML11_NUMBER.match(value):
        return "a number"
    if _YAML11_DATE.match(value):
        return "a date"
    return None


def suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


@dataclass(frozen=True, slots=True)
class Ref:
    """A name used in a file that must be defined somewhere else."""

    kind: str  # tag | node | concern | mood | event | choice | persona
    value: str
    mark: Mark
    context: str = ""


@dataclass
class Reader:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    declared: dict[str, set[str]] = field(default_factory=dict)

    def declare(self, kind: str, value: str) -> None:
        self.declared.setdefault(kind, set()).add(value)

    def problem(self, mark: Mark, message: str, fix: str = "") -> None:
        self.problems.append(Problem(self.path, mark, message, fix))

    def ref(self, kind: str, node: YScalar, context: str = "") -> None:
        self.refs.append(Ref(kind, node.value, node.mark, context))

    # Shapes.

    def mapping(self, node: YNode, what: str) -> YMap | None:
        if isinstance(node, YMap):
            return node
        self.problem(
            node.mark, f"{what} must be a mapping of `key: value` lines", "indent its keys under it"
        )
        return None

    def sequence(self, node: YNode, what: str) -> YSeq | None:
        if isinstance(node, YSeq):
            return node
        self.problem(node.mark, f"{what} must be a list", "write it as `[a, b]` or as `- a` lines")
        return None

    def keys(
        self, m: YMap, what: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> bool:
        """Check a mapping's keys; True when every required key is present."""
        req = list(required)
        allowed = [*req, *optional]
        for key, (knode, _) in m.items.items():
            if key not in allowed:
                hint = suggest(key, allowed)
                self.problem(
                    knode.mark,
                    f"unknown key '{key}' in {what}",
                    hint or f"allowed keys: {', '.join(allowed)}",
                )
        ok = True
        for key in req:
            if key not in m.items:
                self.problem(m.mark, f"{what} is missing the required key '{key}'", f"add `{key}:`")
                ok = False
        return ok

    def get(self, m: YMap, key: str) -> YNode | None:
        pair = m.items.get(key)
        return pair[1] if pair else None

    def key_mark(self, m: YMap, key: str) -> Mark:
        pair = m.items.get(key)
        return pair[0].mark if pair else m.mark

    # Scalars.

    def scalar(self, node: YNode, what: str) -> YScalar | None:
        if isinstance(node, YScalar):
            return node
        self.problem(
            node.mark,
            f"{what} must be a single value, not a "
            f"{'list' if isinstance(node, YSeq) else 'mapping'}",
            "write one value after the colon",
        )
        return None

    def string(self, node: YNode, what: str, *, allow_empty: bool = False) -> str | None:
        s = self.scalar(node, what)
        if s is None:
            return None
        if s.plain:
            reading = yaml11_reading(s.value)
            if reading is not None:
                self.problem(
                    s.mark,
                    f"{what} `{s.value}` would be read as {reading} by YAML tools",
                    f'put it in quotes: "{s.value}"',
                )
                return None
        value = strip_control(s.value).strip()
        if not value and not allow_empty:
            self.problem(s.mark, f"{what} is empty", "write the text")
            return None
        if len(value) > MAX_TEXT:
            self.problem(
                s.mark,
                f"{what} is {len(value)} characters long",
                f"keep it under {MAX_TEXT} characters",
            )
            return None
        return value

    def ident(self, node: YNode, what: str) -> str | None:
        s = self.scalar(node, what)
        if s is None:
            return None
        if not ID_RE.match(s.value) or len(s.value) > MAX_ID:
            fixed = re.sub(r"[^a-z0-9]+", "-", s.value.lower()).strip("-") or "my-id"
            self.problem(
                s.mark,
                f"{what} '{s.value}' is not a valid id",
                f"use lower-case letters, digits and '-', e.g. '{fixed[:MAX_ID]}'",
            )
            return None
        return s.value

    def ref_ident(self, node: YNode, kind: str, what: str, context: str = "") -> str | None:
        value = self.ident(node, what)
        if value is not None:
            assert isinstance(node, YScalar)
            self.ref(kind, node, context)
        return value

    def integer(self, node: YNode, what: str, lo: int, hi: int) -> int | None:
        s = self.scalar(node, what)
        if s is None:
            return None
        if not s.plain or not _INT.match(s.value):
            self.problem(
                s.mark,
                f"{what} must be a whole number, not '{s.value}'",
                f"write a number from {lo} to {hi}, without quotes",
            )
            return None
        value = int(s.value)
        if not lo <= value <= hi:
            self.problem(
                s.mark, f"{what} is {value}, outside {lo}..{hi}", f"use a number from {lo} to {hi}"
            )
            return None
        return value

    def boolean(self, node: YNode, what: str) -> bool | None:
        s = self.scalar(node, what)
        if s is None:
            return None
        if s.plain and s.value in ("true", "false"):
            return s.value == "true"
        self.problem(
            s.mark,
            f"{what} must be true or false, not '{s.value}'",
            "write true or false, without quotes",
        )
        return None

    def choice_of(self, node: YNode, what: str, options: Iterable[str]) -> str | None:
        s = self.scalar(node, what)
        if s is None:
            return None
        opts = list(options)
        if s.value not in opts:
            hint = suggest(s.value, opts)
            self.problem(
                s.mark,
                f"{what} '{s.value}' is not one of: {', '.join(opts)}",
                hint or f"pick one of: {', '.join(opts)}",
            )
            return None
        return s.value

    # Compound values.

    def text(self, node: YNode, what: str) -> Text | None:
        m = self.mapping(node, f"{what} (a text needs `zh:` and `en:`)")
        if m is None:
            return None
        for key, (knode, _) in m.items.items():
            if key not in LANGS:
                hint = suggest(key, LANGS)
                self.problem(
                    knode.mark,
                    f"unknown language '{key}' in {what}",
                    hint or "texts have exactly two keys, `zh:` and `en:`",
                )
        values: dict[str, str] = {}
        for lang in LANGS:
            child = self.get(m, lang)
            if child is None:
                self.problem(
                    m.mark,
                    f"{what} is missing its {'Chinese' if lang == 'zh' else 'English'} text",
                    f"add `{lang}: …`",
                )
                continue
            value = self.string(child, f"{what} ({lang})")
            if value is not None:
                values[lang] = value
        if len(values) != len(LANGS):
            return None
        return Text(zh=values["zh"], en=values["en"])

    def lines(self, node: YNode, what: str) -> tuple[Text, ...] | None:
        seq = self.sequence(node, f"{what} (a list of text variants)")
        if seq is None:
            return None
        if not seq.items:
            self.problem(seq.mark, f"{what} has no variants", "give at least one `- zh: … en: …`")
            return None
        out = [self.text(item, f"{what} variant {i + 1}") for i, item in enumerate(seq.items)]
        return None if any(t is None for t in out) else tuple(t for t in out if t is not None)

    def list_of(
        self, node: YNode, what: str, read: Callable[[YNode, str], T | None]
    ) -> list[T] | None:
        seq = self.sequence(node, what)
        if seq is None:
            return None
        out: list[T] = []
        ok = True
        for i, item in enumerate(seq.items):
            value = read(item, f"{what} item {i + 1}")
            if value is None:
                ok = False
            else:
                out.append(value)
        return out if ok else None

    def int_map(
        self, node: YNode, what: str, keys: Iterable[str] | None, kind: str | None, lo: int, hi: int
    ) -> dict[str, int] | None:
        """A `{name: number}` mapping; names are checked here (keys) or later (kind)."""
        m = self.mapping(node, what)
        if m is None:
            return None
        allowed = list(keys) if keys is not None else None
        out: dict[str, int] = {}
        for key, (knode, vnode) in m.items.items():
            if allowed is not None and key not in allowed:
                hint = suggest(key, allowed)
                self.problem(
                    knode.mark,
                    f"unknown name '{key}' in {what}",
                    hint or f"use one of: {', '.join(allowed)}",
                )
                continue
            if kind is not None:
                self.ref(kind, knode, what)
            value = self.integer(vnode, f"{what} '{key}'", lo, hi)
            if value is not None:
                out[key] = value
        return out

    def condition(self, node: YNode, what: str) -> Condition | None:
        m = self.mapping(node, f"{what} (a condition)")
        if m is None:
            return None
        forms = ("mood", "event", "chose", "tag_used", "visited", "turn", "all", "any", "not")
        head = [k for k in m.items if k in forms]
        if len(head) != 1:
            unknown = [k for k in m.items if k not in (*forms, "at_least", "at_most")]
            if unknown:
                hint = suggest(unknown[0], forms)
                self.problem(
                    m.items[unknown[0]][0].mark,
                    f"unknown condition '{unknown[0]}' in {what}",
                    hint or f"a condition starts with one of: {', '.join(forms)}",
                )
            else:
                self.problem(
                    m.mark,
                    f"{what} must have exactly one of: {', '.join(forms)}",
                    "e.g. `{mood: anger, at_least: 70}` or `{event: tracking-given}`",
                )
            return None
        kind = head[0]
        value = m.items[kind][1]
        if kind == "mood":
            if not self.keys(m, what, ["mood"], ["at_least", "at_most"]):
                return None
            var = self.ref_ident(value, "mood", f"{what} mood variable")
            lo = self._bound(m, "at_least", what)
            hi = self._bound(m, "at_most", what)
            if lo is None and hi is None:
                self.problem(
                    m.mark,
                    f"{what} needs `at_least:` or `at_most:`",
                    "e.g. `{mood: anger, at_least: 70}`",
                )
                return None
            return None if var is None else MoodCond(var, lo, hi)
        if kind == "event":
            if not self.keys(m, what, ["event"]):
                return None
            ev = self.ref_ident(value, "event", f"{what} event")
            return None if ev is None else EventCond(ev)
        if kind == "chose":
            if not self.keys(m, what, ["chose"]):
                return None
            s = self.scalar(value, f"{what} choice")
            if s is None:
                return None
            state, _, choice = s.value.rpartition(".")
            if not ID_RE.match(choice) or (state and not ID_RE.match(state)):
                self.problem(
                    s.mark,
                    f"{what} `chose: {s.value}` is not a choice id",
                    "write `choice-id` or `state-id.choice-id`",
                )
                return None
            self.ref("choice", s, what)
            return ChoseCond(choice, state or None)
        if kind == "tag_used":
            if not self.keys(m, what, ["tag_used"], ["at_least"]):
                return None
            tag = self.ref_ident(value, "tag", f"{what} tag")
            n = self._bound(m, "at_least", what)
            return None if tag is None else TagUsedCond(tag, 1 if n is None else n)
        if kind == "visited":
            if not self.keys(m, what, ["visited"], ["at_least"]):
                return None
            visited = self.ref_ident(value, "state", f"{what} state")
            n = self._bound(m, "at_least", what)
            return None if visited is None else VisitedCond(visited, 1 if n is None else n)
        if kind == "turn":
            if not self.keys(m, what, ["turn"]):
                return None
            tm = self.mapping(value, f"{what} turn")
            if tm is None or not self.keys(tm, f"{what} turn", [], ["at_least", "at_most"]):
                return None
            lo, hi = self._bound(tm, "at_least", what), self._bound(tm, "at_most", what)
            if lo is None and hi is None:
                self.problem(
                    tm.mark,
                    f"{what} turn needs `at_least:` or `at_most:`",
                    "e.g. `{turn: {at_least: 5}}`",
                )
                return None
            return TurnCond(lo, hi)
        if not self.keys(m, what, [kind]):
            return None
        if kind == "not":
            inner = self.condition(value, f"{what} not")
            return None if inner is None else NotCond(inner)
        items: list[Condition] | None = self.list_of(value, f"{what} {kind}", self.condition)
        if items is None:
            return None
        if not items:
            self.problem(
                value.mark, f"{what} `{kind}` is an empty list", "give at least one condition"
            )
            return None
        return AllCond(tuple(items)) if kind == "all" else AnyCond(tuple(items))

    def _bound(self, m: YMap, key: str, what: str) -> int | None:
        node = self.get(m, key)
        return None if node is None else self.integer(node, f"{what} {key}", -1000, 1000)

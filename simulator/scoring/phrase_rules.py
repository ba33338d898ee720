"""Phrase rules: the data that tells which behaviour tag an utterance shows.

One file per language, ``scenarios/phrases/<lang>.yaml``, read with the project's
hostile-YAML-proof reader; every problem is reported with file:line:col and a fix.
The format is documented for trainers in docs/free-text.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import cast

from simulator.scenario.errors import Mark, Problem, ScenarioError
from simulator.scenario.model import LANGS, Lang, TagDef
from simulator.scenario.paths import bundled_dir
from simulator.scenario.reader import Reader, suggest
from simulator.scenario.yamlsafe import YMap, YNode, YScalar, read_yaml
from simulator.scoring.normalise import normalise_phrase

SCHEMA_VERSION = 1
SPEAKERS = ("agent", "customer")
# What customer rules detect: the situation the agent has to respond to (docs/free-text.md).
CUES = ("upset", "threat", "complaint", "abuse", "confused", "new-concern")
MAX_REGEX = 500
RULE_KEYS = (
    "id",
    "tag",
    "cue",
    "speaker",
    "say",
    "regex",
    "negatable",
    "unless_before",
    "unless_after",
    "unless_tags",
    "removes",
    "quoted",
    "note",
)


@dataclass(frozen=True, slots=True)
class PhraseRule:
    id: str
    label: str  # the tag (agent rules) or the cue (customer rules) it detects
    speaker: str
    patterns: tuple[re.Pattern[str], ...]  # the `regex:` list, on the normalised text
    phrases: re.Pattern[str] | None = None  # every `say:` phrase, on the lower-cased text
    negatable: bool = False
    unless_before: tuple[str, ...] = ()
    unless_after: tuple[str, ...] = ()
    unless_tags: tuple[str, ...] = ()
    removes: tuple[str, ...] = ()
    quoted: bool = False
    line: int = 0


@dataclass(frozen=True)
class PhraseBook:
    lang: Lang
    negators: tuple[str, ...]  # longest first
    window: int  # how far before a match a negator counts: characters (zh) or words (en)
    hang_up: tuple[str, ...]  # stage directions that mean the call was cut
    rules: tuple[PhraseRule, ...]
    source: str = ""

    def for_speaker(self, speaker: str) -> tuple[PhraseRule, ...]:
        return self._speakers[speaker]

    @cached_property
    def _speakers(self) -> dict[str, tuple[PhraseRule, ...]]:
        return {sp: tuple(r for r in self.rules if r.speaker == sp) for sp in SPEAKERS}

    @cached_property
    def order(self) -> dict[str, int]:
        """Each rule id's place in the file (``unless_tags`` looks only upwards)."""
        return {r.id: i for i, r in enumerate(self.rules)}


def phrase_pattern(phrase: str, lang: Lang, gap: int) -> str:
    """The regular expression for a trainer's phrase: literal text, where ``…`` (or
    ``...``) stands for up to ``gap`` characters within one sentence."""
    text = normalise_phrase(phrase, lang)
    parts = [p.strip() if lang == "en" else p for p in text.split("...")]
    bridge = rf"[^.!?]{{0,{gap}}}?"
    out = []
    for part in parts:
        piece = re.escape(part)
        if lang == "en":
            piece = piece.replace(r"\ ", r"\s+").replace("'", "'?")
        out.append(piece)
    body = bridge.join(out)
    if lang == "en":
        first, last = parts[0], parts[-1]
        if first and (first[0].isalnum() or first[0] == "_"):
            body = r"\b" + body
        if last and (last[-1].isalnum() or last[-1] == "_"):
            body += r"\b"
    return body


def load_phrase_book(path: Path, tags: Mapping[str, TagDef]) -> PhraseBook:
    """Read and check a phrase file; raises ScenarioError listing every problem."""
    r = Reader(path)
    root = r.mapping(read_yaml(path), "the phrase file")
    book: PhraseBook | None = None
    if root is not None and r.keys(
        root, "the phrase file", ["schema_version", "lang", "rules"], ["negation", "gap", "hang_up"]
    ):
        book = _book(r, root, tags)
    if r.problems or book is None:
        raise ScenarioError(sorted(r.problems, key=lambda p: (p.mark.line, p.mark.column)))
    return book


def _strings(r: Reader, m: YMap, key: str, what: str) -> tuple[tuple[str, YScalar], ...]:
    node = r.get(m, key)
    if node is None:
        return ()
    seq = r.sequence(node, what)
    out: list[tuple[str, YScalar]] = []
    for i, item in enumerate(seq.items if seq else []):
        value = r.string(item, f"{what} item {i + 1}")
        if value is not None:
            out.append((value, cast(YScalar, item)))
    return tuple(out)


def _book(r: Reader, root: YMap, tags: Mapping[str, TagDef]) -> PhraseBook | None:
    version = r.integer(cast(YNode, r.get(root, "schema_version")), "schema_version", 0, 10_000)
    if version is not None and version != SCHEMA_VERSION:
        r.problem(
            r.key_mark(root, "schema_version"),
            f"schema_version {version} is not supported",
            f"this calldrill reads phrase files of schema_version {SCHEMA_VERSION}",
        )
    lang_value = r.choice_of(cast(YNode, r.get(root, "lang")), "lang", LANGS)
    if lang_value is None:
        return None
    lang = cast(Lang, lang_value)
    if lang != r.path.stem and r.path.stem in LANGS:
        r.problem(
            r.key_mark(root, "lang"),
            f"lang '{lang}' does not match the file name '{r.path.name}'",
            f"set `lang: {r.path.stem}` or rename the file to '{lang}.yaml'",
        )
    gap_node = r.get(root, "gap")
    gap = 12 if gap_node is None else r.integer(gap_node, "gap", 1, 200)
    negators: tuple[str, ...] = ()
    window = 4 if lang == "zh" else 3
    neg_node = r.get(root, "negation")
    if neg_node is not None:
        neg = r.mapping(neg_node, "negation")
        if neg is not None and r.keys(neg, "negation", ["words"], ["window"]):
            words = _strings(r, neg, "words", "negation words")
            negators = tuple(
                sorted({normalise_phrase(w, lang).lower() for w, _ in words}, key=len, reverse=True)
            )
            w_node = r.get(neg, "window")
            w = None if w_node is None else r.integer(w_node, "negation window", 1, 20)
            window = window if w is None else w
    hang_up = tuple(
        normalise_phrase(w, lang).lower() for w, _ in _strings(r, root, "hang_up", "hang_up")
    )
    rules: list[PhraseRule] = []
    seen: dict[str, int] = {}
    body = r.sequence(cast(YNode, r.get(root, "rules")), "rules")
    for i, node in enumerate(body.items if body else []):
        id_node = r.get(node, "id") if isinstance(node, YMap) else None
        rid = id_node.value if isinstance(id_node, YScalar) else None
        if rid is not None and rid in seen:
            r.problem(
                id_node.mark if id_node else node.mark,
                f"rule id '{rid}' is already used (line {seen[rid]})",
                "give each rule its own id",
            )
            continue
        if rid is not None:
            seen[rid] = node.mark.line
        rule = _rule(r, node, f"rule {i + 1}", lang, gap or 12, tags)
        if rule is not None:
            rules.append(rule)
    return PhraseBook(lang, negators, window, hang_up, tuple(rules), str(r.path))


def _rule(
    r: Reader, node: YNode, what: str, lang: Lang, gap: int, tags: Mapping[str, TagDef]
) -> PhraseRule | None:
    m = r.mapping(node, what)
    if m is None or not r.keys(m, what, ["id"], RULE_KEYS):
        return None
    rid = r.ident(cast(YNode, r.get(m, "id")), f"{what} id")
    what = f"rule '{rid}'" if rid else what
    tag_node, cue_node = r.get(m, "tag"), r.get(m, "cue")
    if (tag_node is None) == (cue_node is None):
        r.problem(
            m.mark,
            f"{what} needs exactly one of `tag:` (what the agent does) or `cue:` (what the "
            "customer shows)",
            "e.g. `tag: apology`, or `cue: upset` with `speaker: customer`",
        )
        return None
    speaker_node = r.get(m, "speaker")
    speaker = (
        ("agent" if tag_node is not None else "customer")
        if speaker_node is None
        else r.choice_of(speaker_node, f"{what} speaker", SPEAKERS)
    )
    label: str | None
    if tag_node is not None:
        label = _tag(r, tag_node, f"{what} tag", tags)
        if speaker == "customer":
            r.problem(
                r.key_mark(m, "tag"),
                f"{what} gives a tag to the customer",
                "tags describe the agent; use `cue:` for what the customer shows",
            )
    else:
        label = r.choice_of(cast(YNode, cue_node), f"{what} cue", CUES)
    patterns: list[re.Pattern[str]] = []
    flags = re.IGNORECASE if lang == "en" else 0
    said: list[str] = []
    for phrase, scalar in _strings(r, m, "say", f"{what} say"):
        if not phrase.replace("…", "").replace("...", "").strip():
            r.problem(scalar.mark, f"{what} say: '{phrase}' has no words", "write the phrase")
            continue
        said.append(phrase_pattern(phrase.lower(), lang, gap))
    # One alternation per rule, matched on lower-cased text without IGNORECASE: about a
    # tenth of the regex work of one case-blind pattern per phrase.
    ordered = sorted(dict.fromkeys(said), key=len, reverse=True)
    phrases = re.compile("|".join(f"(?:{p})" for p in ordered)) if ordered else None
    for source, scalar in _strings(r, m, "regex", f"{what} regex"):
        if len(source) > MAX_REGEX:
            r.problem(
                scalar.mark,
                f"{what} regex is {len(source)} characters long",
                f"keep it under {MAX_REGEX}, or split it into several",
            )
            continue
        try:
            patterns.append(re.compile(source, flags))
        except re.error as exc:
            r.problem(
                scalar.mark,
                f"{what} regex is not a valid regular expression: {exc}",
                "check brackets and escapes; a plain phrase can go under `say:` instead",
            )
    if not patterns and not said and not r.problems:
        r.problem(m.mark, f"{what} has nothing to match", "add `say: [...]` or `regex: [...]`")

    def flag(key: str) -> bool:
        n = r.get(m, key)
        return bool(n is not None and r.boolean(n, f"{what} {key}"))

    def tag_list(key: str) -> tuple[str, ...]:
        n = r.get(m, key)
        seq = None if n is None else r.sequence(n, f"{what} {key}")
        out = (_tag(r, item, f"{what} {key}", tags) for item in (seq.items if seq else []))
        return tuple(t for t in out if t is not None)

    def context(key: str) -> tuple[str, ...]:
        return tuple(
            normalise_phrase(v, lang).lower() for v, _ in _strings(r, m, key, f"{what} {key}")
        )

    if rid is None or label is None or speaker is None or not (patterns or phrases):
        return None
    return PhraseRule(
        id=rid,
        label=label,
        speaker=speaker,
        patterns=tuple(patterns),
        phrases=phrases,
        negatable=flag("negatable"),
        unless_before=context("unless_before"),
        unless_after=context("unless_after"),
        unless_tags=tag_list("unless_tags"),
        removes=tag_list("removes"),
        quoted=flag("quoted"),
        line=m.mark.line,
    )


def _tag(r: Reader, node: YNode, what: str, tags: Mapping[str, TagDef]) -> str | None:
    s = r.scalar(node, what)
    if s is None:
        return None
    if s.value not in tags:
        hint = suggest(s.value, tags)
        r.problem(
            s.mark,
            f"{what}: unknown tag '{s.value}'",
            hint or "use a tag defined in scenarios/tags.yaml (docs/tags.md)",
        )
        return None
    return s.value


def phrase_path(lang: Lang, root: Path | None = None) -> Path:
    return (root or bundled_dir()) / "phrases" / f"{lang}.yaml"


@lru_cache(maxsize=8)
def _cached(path: Path, size: int, mtime: int) -> PhraseBook:
    from simulator.scenario.loader import load_tags  # noqa: PLC0415

    return load_phrase_book(path, load_tags(path.parent.parent / "tags.yaml"))


def bundled_phrase_book(lang: Lang) -> PhraseBook:
    """The bundled rules for ``lang``, read once per process (again if the file changes)."""
    path = phrase_path(lang)
    try:
        st = path.stat()
    except OSError:
        raise ScenarioError(
            [Problem(path, Mark(1, 1), "the phrase rules are missing", "reinstall calldrill")],
            unusable=True,
        ) from None
    return _cached(path, st.st_size, st.st_mtime_ns)

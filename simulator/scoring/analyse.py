"""One utterance through the phrase rules: the tags (or customer cues) it shows, each
with the words that showed it. Pure and deterministic; docs/free-text.md explains how
negation, quotations and the `unless_*` exceptions decide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from simulator.scoring.normalise import CLAUSE_END, Normalised, normalise
from simulator.scoring.phrase_rules import PhraseBook, PhraseRule

_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str
    tag: str  # a behaviour tag (agent) or a cue (customer)
    start: int  # in the utterance as written
    end: int
    text: str  # the words as written
    negated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "rule": self.rule,
            "matched": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    text: str  # as written, control characters removed
    speaker: str
    hits: tuple[Hit, ...]  # what counts, in the order it was said
    negated: tuple[Hit, ...]  # matches turned around by a negation ("我不是不理解…" counts)
    removes: tuple[str, ...]  # tags the fired rules take away (from an authored reply too)
    removed_by: tuple[tuple[str, str], ...] = ()  # (tag, id of the rule that removed it)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.tag for h in self.hits))

    def first(self, tag: str) -> Hit | None:
        return next((h for h in self.hits if h.tag == tag), None)


def _clause_before(low: str, start: int) -> str:
    i = start
    while i > 0 and low[i - 1] not in CLAUSE_END:
        i -= 1
    return low[i:start]


def _negations_zh(before: str, book: PhraseBook) -> int:
    text = before[-book.window :]
    count = i = 0
    while i < len(text):
        for word in book.negators:
            if text.startswith(word, i):
                count += 1
                i += len(word)
                break
        else:
            i += 1
    return count


def _negations_en(before: str, book: PhraseBook) -> int:
    words = _EN_WORD.findall(before)[-book.window :]
    suffix = "n't" in book.negators
    return sum(1 for w in words if w in book.negators or (suffix and w.endswith("n't")))


def _negated(low: str, start: int, book: PhraseBook) -> bool:
    before = _clause_before(low, start)
    count = _negations_zh(before, book) if book.lang == "zh" else _negations_en(before, book)
    return count % 2 == 1  # "不是不可能": two negations cancel


def _excepted(rule: PhraseRule, low: str, start: int, end: int) -> bool:
    before, after = low[:start].rstrip(), low[end:].lstrip()
    if any(before.endswith(word) for word in rule.unless_before):
        return True
    return any(after.startswith(word) for word in rule.unless_after)


def analyse(text: str, book: PhraseBook, speaker: str = "agent") -> Analysis:
    norm = normalise(text, book.lang)
    return analyse_normalised(norm, book, speaker)


def analyse_normalised(norm: Normalised, book: PhraseBook, speaker: str = "agent") -> Analysis:
    hay = norm.text
    low = hay.lower()
    if len(low) != len(hay):  # a few letters lower-case to two characters: keep offsets
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in hay)
    found: list[tuple[int, int, PhraseRule, bool]] = []
    for rule in book.for_speaker(speaker):
        matches = [m.span() for p in rule.patterns for m in p.finditer(hay)]
        if rule.phrases is not None:
            matches += [m.span() for m in rule.phrases.finditer(low)]
        for s, e in matches:
            if s == e or (not rule.quoted and norm.in_quotes(s, e)):
                continue
            if _excepted(rule, low, s, e):
                continue
            found.append((s, e, rule, rule.negatable and _negated(low, s, book)))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2].id))
    # One tag is credited once per stretch of words: overlapping matches of the same tag merge.
    kept: list[tuple[int, int, PhraseRule, bool]] = []
    for item in found:
        s, e, rule, _ = item
        if any(k[2].label == rule.label and k[0] < e and s < k[1] for k in kept):
            continue
        kept.append(item)
    # `unless_tags` sees every tag of the rules without exceptions, and the tags of the
    # rules above it in the file that survived their own exceptions: no cycles.
    said = {rule.label for _, _, rule, neg in kept if not neg and not rule.unless_tags}
    order = book.order
    dropped: set[int] = set()
    for item in sorted((k for k in kept if k[2].unless_tags), key=lambda k: order[k[2].id]):
        if item[3]:
            continue
        if set(item[2].unless_tags) & said:
            dropped.add(id(item))
        else:
            said.add(item[2].label)
    live = [k for k in kept if not k[3] and id(k) not in dropped]
    said = {rule.label for _, _, rule, neg in kept if not neg}
    removed_by = tuple(dict.fromkeys((t, rule.id) for _, _, rule, _ in live for t in rule.removes))
    removes = tuple(dict.fromkeys(t for t, _ in removed_by))
    hits = tuple(
        Hit(rule.id, rule.label, *norm.span_back(s, e), norm.written(s, e))
        for s, e, rule, _ in live
        if rule.label not in removes
    )
    turned = tuple(
        Hit(rule.id, rule.label, *norm.span_back(s, e), norm.written(s, e), negated=True)
        for s, e, rule, neg in kept
        if neg and rule.label not in said
    )
    return Analysis(norm.original, speaker, hits, turned, removes, removed_by)

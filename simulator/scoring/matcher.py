"""A typed reply understood as one of the state's authored replies, and re-tagged.

The similarity (docs/free-text.md) is computed with rapidfuzz on the normalised texts
(NFKC, simplified Chinese, no punctuation): for Chinese on characters, the mean of
ratio and partial_ratio; for English on words, the mean of token_set_ratio and
token_sort_ratio (0..100). The phrase rules then vote: when the typed reply shows
tags, a choice whose authored tags cover them can only score higher. The best choice
is understood when its similarity reaches ``THRESHOLD``; below it, not at all.

Once understood, the reply keeps the credit the author gave that choice, and the rules
adjust it: a tag the typed words negate or a rule removes is taken away, and every tag
that costs points the words show (a taboo word, a vague promise…) is added. Good tags
the words show are reported but not added, so padding a reply with stock phrases gains
nothing. All of this is pure: nothing here touches the engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from simulator.scenario.model import Choice, Lang, TagDef
from simulator.scoring.analyse import Analysis, Hit, analyse_normalised
from simulator.scoring.normalise import normalise
from simulator.scoring.phrase_rules import PhraseBook, bundled_phrase_book

THRESHOLD = 45.0  # similarity (0..100) a typed reply needs to be understood as a choice
TEXT_WEIGHT = 0.7  # share of the text similarity when the rules found tags in the reply
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Adjustment:
    tag: str
    change: str  # "added" | "removed"
    why: str  # "said" (a rule matched these words), "negated", "removed-by:<rule>"
    hit: Hit | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "change": self.change,
            "why": self.why,
            "matched": self.hit.text if self.hit else None,
            "rule": self.hit.rule if self.hit else None,
        }


@dataclass(frozen=True, slots=True)
class ReplyMatch:
    typed: str
    choice: Choice | None  # None: below the threshold, not understood
    similarity: float  # of the best choice, 0..100
    threshold: float
    ranking: tuple[tuple[str, float], ...]  # every choice id with its similarity, best first
    tags: tuple[str, ...]  # the understood reply's tags after the rules' adjustments
    adjustments: tuple[Adjustment, ...]
    analysis: Analysis

    @property
    def understood(self) -> bool:
        return self.choice is not None

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(a.tag for a in self.adjustments if a.change == "added")

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(a.tag for a in self.adjustments if a.change == "removed")

    def as_dict(self) -> dict[str, Any]:
        return {
            "typed": self.typed,
            "choice": self.choice.id if self.choice else None,
            "understood": self.understood,
            "similarity": self.similarity,
            "threshold": self.threshold,
            "ranking": [{"choice": c, "similarity": s} for c, s in self.ranking],
            "tags": list(self.tags),
            "adjustments": [a.as_dict() for a in self.adjustments],
            "hits": [h.as_dict() for h in self.analysis.hits],
        }


def _tokens(text: str, lang: Lang) -> str:
    """What similarity compares: the characters without punctuation or spaces (zh), or the
    lower-case words separated by single spaces (en)."""
    if lang == "zh":
        return _PUNCT.sub("", text)
    return _PUNCT.sub(" ", text.lower()).strip()


@lru_cache(maxsize=4096)
def _choice_tokens(text: str, lang: Lang) -> str:
    return _tokens(normalise(text, lang).text, lang)


def text_similarity(a: str, b: str, lang: Lang) -> float:
    """0..100 between two ``_tokens`` strings. Chinese: the mean of rapidfuzz's ratio
    (the whole reply, in order) and partial_ratio (the best-aligned stretch), on
    characters; English: the mean of token_set_ratio and token_sort_ratio, on words."""
    if not a or not b:
        return 0.0
    if lang == "zh":
        return (fuzz.ratio(a, b) + fuzz.partial_ratio(a, b)) / 2
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def _tag_vote(said: set[str], choice_tags: Sequence[str]) -> float:
    return 100.0 * len(said & set(choice_tags)) / len(said)


def cost_tags(tags: Mapping[str, TagDef]) -> frozenset[str]:
    return frozenset(t for t, d in tags.items() if sum(d.points.values()) < 0)


@lru_cache(maxsize=1)
def _bundled_tags() -> Mapping[str, TagDef]:
    from simulator.scenario.loader import load_tags  # noqa: PLC0415
    from simulator.scenario.paths import bundled_dir  # noqa: PLC0415

    return load_tags(bundled_dir() / "tags.yaml")


def match_reply(
    typed: str,
    choices: Sequence[Choice],
    lang: Lang,
    tags: Mapping[str, TagDef] | None = None,
    *,
    book: PhraseBook | None = None,
    threshold: float = THRESHOLD,
) -> ReplyMatch:
    """Understand ``typed`` as the closest of ``choices`` (their ``lang`` text) and
    adjust that choice's tags with the phrase rules. ``tags`` is the tag table
    (the bundled one if not given); ``book`` the phrase rules (the bundled ones)."""
    tag_defs = tags if tags is not None else _bundled_tags()
    rules = book if book is not None else bundled_phrase_book(lang)
    norm = normalise(typed, lang)
    analysis = analyse_normalised(norm, rules, "agent")
    said = set(analysis.tags)
    mine = _tokens(norm.text, lang)
    scored: list[tuple[float, int, Choice]] = []
    for order, choice in enumerate(choices):
        sim = text_similarity(mine, _choice_tokens(choice.text.get(lang), lang), lang)
        if said:  # the rules can only raise a choice whose tags cover what was said
            sim = max(sim, TEXT_WEIGHT * sim + (1 - TEXT_WEIGHT) * _tag_vote(said, choice.tags))
        scored.append((round(sim, 1), order, choice))
    scored.sort(key=lambda s: (-s[0], s[1]))
    ranking = tuple((c.id, s) for s, _, c in scored)
    best = scored[0] if scored else None
    if best is None or best[0] < threshold:
        return ReplyMatch(
            typed, None, best[0] if best else 0.0, threshold, ranking, (), (), analysis
        )
    choice = best[2]
    result, adjustments = adjust_tags(choice.tags, analysis, cost_tags(tag_defs))
    return ReplyMatch(typed, choice, best[0], threshold, ranking, result, adjustments, analysis)


def adjust_tags(
    authored: Sequence[str], analysis: Analysis, costly: frozenset[str]
) -> tuple[tuple[str, ...], tuple[Adjustment, ...]]:
    """The authored tags as the typed words change them (see the module docstring)."""
    out = list(dict.fromkeys(authored))
    changes: list[Adjustment] = []
    by_rule = {h.rule: h for h in analysis.hits}
    for hit in analysis.negated:
        if hit.tag in out:
            out.remove(hit.tag)
            changes.append(Adjustment(hit.tag, "removed", "negated", hit))
    for tag, rule in analysis.removed_by:
        if tag in out:
            out.remove(tag)
            changes.append(Adjustment(tag, "removed", f"removed-by:{rule}", by_rule.get(rule)))
    for hit in analysis.hits:
        if hit.tag in costly and hit.tag not in out:
            out.append(hit.tag)
            changes.append(Adjustment(hit.tag, "added", "said", hit))
    return tuple(out), tuple(changes)

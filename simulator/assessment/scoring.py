"""Scoring exam items, sections and the whole exam (docs/assessment.md).

Scores are exact fractions until they are shown, so the same answers give the same
figures everywhere; they are written as decimal strings with two places, half up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from simulator.assessment.model import Blueprint, Item, KeyPoint, Section

Answer = str | bool | list[str] | dict[str, object] | None


def dec(value: Fraction, places: int = 2) -> str:
    """``value`` as a decimal string, rounded half up: Fraction(2, 3) -> '0.67'."""
    scale = 10**places
    n = int(value * scale + Fraction(1, 2)) if value >= 0 else -int(-value * scale + Fraction(1, 2))
    sign = "-" if n < 0 else ""
    whole, frac = divmod(abs(n), scale)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'"})


def _norm(text: str) -> str:
    # Full-width letters and digits become ASCII, case is folded, spaces collapse, and
    # typographic apostrophes are plain ones (can’t = can't).
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    return re.sub(r"\s+", " ", folded).strip()


def key_point_covered(kp: KeyPoint, answer: str) -> bool:
    """A key point is covered when any keyword occurs: a Chinese keyword anywhere, an
    English one at the start of a word (so 'ticket' counts in 'tickets', 'ask' not in
    'task'); case and full-width forms do not matter."""
    text = _norm(answer)
    if not text:
        return False
    if any(_norm(kw) and _norm(kw) in text for kw in kp.keywords.get("zh", ())):
        return True
    for kw in kp.keywords.get("en", ()):
        word = _norm(kw)
        if word and re.search(r"(?<![a-z0-9])" + re.escape(word), text):
            return True
    return False


@dataclass(frozen=True, slots=True)
class ItemScore:
    key: str
    earned: Fraction
    max: int
    full: bool  # every point of the item earned
    covered: tuple[int, ...] = ()  # short: the key points found (0-based)
    detail: Mapping[str, object] = field(default_factory=dict)

    @property
    def share(self) -> Fraction:
        return self.earned / self.max if self.max else Fraction(0)


def item_fraction(item: Item, answer: Answer, multiple: str = "all-or-nothing") -> Fraction:
    return _fraction(item, answer, multiple)[0]


def _fraction(item: Item, answer: Answer, multiple: str) -> tuple[Fraction, tuple[int, ...]]:
    if answer is None:
        return Fraction(0), ()
    if item.kind == "single":
        ok = isinstance(answer, str) and answer in item.correct_ids and len(item.correct_ids) == 1
        return Fraction(int(ok)), ()
    if item.kind == "multiple":
        if not isinstance(answer, list):
            return Fraction(0), ()
        chosen, right = set(answer), set(item.correct_ids)
        if multiple == "partial":
            value = Fraction(len(chosen & right) - len(chosen - right), len(right))
            return max(Fraction(0), value), ()
        return Fraction(int(chosen == right)), ()
    if item.kind == "true-false":
        return Fraction(int(isinstance(answer, bool) and answer == item.answer)), ()
    if not isinstance(answer, str):
        return Fraction(0), ()
    covered = tuple(n for n, kp in enumerate(item.key_points) if key_point_covered(kp, answer))
    return min(Fraction(1), Fraction(len(covered), item.pass_points)), covered


def score_item(key: str, item: Item, answer: Answer, section: Section) -> ItemScore:
    top = section.points if section.points is not None else item.points
    share, covered = _fraction(item, answer, section.multiple)
    return ItemScore(key, share * top, top, share == 1, covered)


def fraction_score(key: str, share: Fraction, top: int, **detail: object) -> ItemScore:
    """An item scored elsewhere (a call, a ticket) as a share of its points."""
    share = min(Fraction(1), max(Fraction(0), share))
    return ItemScore(key, share * top, top, share == 1, (), dict(detail))


@dataclass(frozen=True, slots=True)
class SectionScore:
    id: str
    kind: str
    items: tuple[ItemScore, ...]
    passed: bool
    elapsed_ms: int = 0
    timed_out: bool = False

    @property
    def earned(self) -> Fraction:
        return sum((i.earned for i in self.items), Fraction(0))

    @property
    def max(self) -> int:
        return sum(i.max for i in self.items)

    @property
    def share(self) -> Fraction:
        return self.earned / self.max if self.max else Fraction(0)


def section_score(
    section: Section, items: Sequence[ItemScore], *, elapsed_ms: int = 0, timed_out: bool = False
) -> SectionScore:
    probe = SectionScore(section.id, section.kind, tuple(items), False, elapsed_ms, timed_out)
    rule = section.passing
    passed = probe.share * 100 >= rule.percent
    if rule.each_percent is not None:
        passed = passed and all(i.share * 100 >= rule.each_percent for i in items)
    return SectionScore(section.id, section.kind, tuple(items), passed, elapsed_ms, timed_out)


@dataclass(frozen=True, slots=True)
class Overall:
    passed: bool
    share: Fraction  # weighted share for the weighted rule, else points earned / points
    reasons: tuple[str, ...]  # why it failed: section ids, or "weighted"


def overall(bp: Blueprint, sections: Mapping[str, SectionScore]) -> Overall:
    rule = bp.passing
    failed = tuple(s.id for s in bp.sections if not sections[s.id].passed)
    if rule.rule == "every-section":
        earned = sum((sections[s.id].earned for s in bp.sections), Fraction(0))
        top = sum(sections[s.id].max for s in bp.sections)
        return Overall(not failed, earned / top if top else Fraction(0), failed)
    total_weight = sum(rule.weights.values())
    share = (
        sum(
            (Fraction(w) * sections[sid].share for sid, w in rule.weights.items()),
            Fraction(0),
        )
        / total_weight
    )
    reasons = [sid for sid in rule.require if not sections[sid].passed]
    if share * 100 < rule.percent:
        reasons.append("weighted")
    return Overall(not reasons, share, tuple(reasons))

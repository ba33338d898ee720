"""Reproducible exam draws: the same blueprint, bank, library, seed and candidate give
the same exam on any machine and Python version, whatever order the files list items in.

Every choice comes from HMAC-SHA256 keyed by the seed over (candidate, purpose, ids):
items are ranked by that digest, never by ``random`` or by file position. Each section
draws per tier (per difficulty for calls), so every candidate gets the same number of
basic, intermediate and advanced items; a theory section also spreads its picks over
the topics in turn, so no candidate gets an exam made of one topic.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.assessment.model import CALL_KINDS, TIERS, TOPICS, Bank, Blueprint, Item, Section
from simulator.scenario.model import Scenario
from simulator.scenario.text import strip_control

PLAN_FORMAT = 1
SEED_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
MAX_CANDIDATE = 100


class DrawError(ValueError):
    """The inputs cannot make an exam (a bad seed or candidate id, too few items)."""


def candidate_id(text: str) -> str:
    """The candidate id as used in draws and results: NFC, no control characters, trimmed
    (so the same id typed on two machines draws the same exam)."""
    value = unicodedata.normalize("NFC", strip_control(text)).strip()
    if not value:
        raise DrawError("the candidate id is empty")
    if len(value) > MAX_CANDIDATE:
        raise DrawError(f"the candidate id is longer than {MAX_CANDIDATE} characters")
    return value


def check_seed(seed: str) -> str:
    if not SEED_RE.match(seed):
        raise DrawError(f"seed '{seed}': use 1 to 64 letters, digits and . _ : - (e.g. 2026-03-am)")
    return seed


def rank(seed: str, candidate: str, *parts: str) -> bytes:
    key = b"calldrill-exam-draw/1\x00" + seed.encode("utf-8")
    msg = "\x1f".join((candidate, *parts)).encode("utf-8")
    return hmac.new(key, msg, hashlib.sha256).digest()


def call_seed(seed: str, candidate: str, scenario_id: str) -> int:
    """The seed of a call in the exam: its choice order and line variants."""
    return int.from_bytes(rank(seed, candidate, "call-seed", scenario_id)[:4], "big") & 0x7FFFFFFF


@dataclass(frozen=True, slots=True)
class PlannedItem:
    key: str  # "<section id>/<ref>": unique in the exam
    section: str
    ref: str  # a bank item id, or a scenario id
    tier: str
    options: tuple[str, ...] = ()  # single / multiple: option ids in the order shown
    seed: int | None = None  # calls: the call's seed
    call: str | None = None  # tickets: the key of the call the ticket is about
    version: int | None = None  # calls: the scenario's version

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"key": self.key, "ref": self.ref, "tier": self.tier}
        if self.options:
            d["options"] = list(self.options)
        if self.seed is not None:
            d["seed"] = self.seed
        if self.call is not None:
            d["call"] = self.call
        if self.version is not None:
            d["version"] = self.version
        return d


@dataclass(frozen=True, slots=True)
class SectionPlan:
    section: Section
    items: tuple[PlannedItem, ...]

    @property
    def id(self) -> str:
        return self.section.id


@dataclass(frozen=True, slots=True)
class Plan:
    candidate: str
    seed: str
    blueprint_id: str
    blueprint_digest: str
    bank_digest: str
    sections: tuple[SectionPlan, ...]

    def item(self, key: str) -> PlannedItem:
        for sp in self.sections:
            for it in sp.items:
                if it.key == key:
                    return it
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": PLAN_FORMAT,
            "candidate": self.candidate,
            "seed": self.seed,
            "blueprint": {"id": self.blueprint_id, "sha256": self.blueprint_digest},
            "bank_sha256": self.bank_digest,
            "sections": [
                {"id": sp.id, "items": [it.as_dict() for it in sp.items]} for sp in self.sections
            ],
        }


def draw(
    bp: Blueprint,
    bank: Bank,
    scenarios: Mapping[str, Scenario],
    candidate: str,
    seed: str,
) -> Plan:
    cand = candidate_id(candidate)
    check_seed(seed)
    sections: list[SectionPlan] = []
    used: set[str] = set()
    for section in bp.sections:
        if section.kind == "theory":
            items = _theory(section, bank, cand, seed)
        elif section.kind in CALL_KINDS:
            items = _calls(section, scenarios, used, cand, seed)
            used.update(it.ref for it in items)
        else:
            target = next(sp for sp in sections if sp.id == section.draw.after)
            items = [
                PlannedItem(f"{section.id}/{c.ref}", section.id, c.ref, c.tier, call=c.key)
                for c in target.items
            ]
        sections.append(SectionPlan(section, tuple(items)))
    return Plan(cand, seed, bp.id, bp.digest, bank.digest, tuple(sections))


def _take(
    pool: Sequence[Item], n: int, spread: bool, cand: str, seed: str, tier: str
) -> list[Item]:
    ranked = sorted(pool, key=lambda i: rank(seed, cand, "item", i.id))
    if not spread:
        return ranked[:n]
    by_topic: dict[str, list[Item]] = {}
    for item in ranked:
        by_topic.setdefault(item.topic, []).append(item)
    topics = sorted(by_topic, key=lambda t: rank(seed, cand, "topic", tier, t))
    out: list[Item] = []
    depth = 0
    while len(out) < n:
        for topic in topics:
            if depth < len(by_topic[topic]) and len(out) < n:
                out.append(by_topic[topic][depth])
        depth += 1
    return out


def _theory(section: Section, bank: Bank, cand: str, seed: str) -> list[PlannedItem]:
    d = section.draw
    pool = [
        i
        for i in bank.items.values()
        if (not d.topics or i.topic in d.topics) and (not d.kinds or i.kind in d.kinds)
    ]
    wanted: Iterable[tuple[str, int]] = d.tiers.items() if d.tiers else [("any", section.count)]
    chosen: list[Item] = []
    for tier, n in wanted:
        fit = [i for i in pool if tier in ("any", i.tier)]
        if len(fit) < n:
            raise DrawError(
                f"section '{section.id}' needs {n} {tier} items; the bank has {len(fit)}"
            )
        chosen += _take(fit, n, d.spread, cand, seed, tier)
    if section.shuffle:
        chosen.sort(key=lambda i: rank(seed, cand, "order", section.id, i.id))
    else:
        topic_order = list(TOPICS)
        chosen.sort(key=lambda i: (TIERS.index(i.tier), topic_order.index(i.topic), i.id))
    out: list[PlannedItem] = []
    for item in chosen:
        options = tuple(o.id for o in item.options)
        if section.shuffle:
            options = _shuffled_options(item, seed, cand)
        out.append(PlannedItem(f"{section.id}/{item.id}", section.id, item.id, item.tier, options))
    return out


def _shuffled_options(item: Item, seed: str, cand: str) -> tuple[str, ...]:
    ids = [o.id for o in item.options]
    return tuple(sorted(ids, key=lambda o: rank(seed, cand, "option", item.id, o)))


def _calls(
    section: Section, scenarios: Mapping[str, Scenario], used: set[str], cand: str, seed: str
) -> list[PlannedItem]:
    d = section.draw
    pool = [
        sc
        for sc in scenarios.values()
        if sc.id not in used
        and (not d.scenarios or sc.id in d.scenarios)
        and (not d.scenario_kinds or sc.kind in d.scenario_kinds)
    ]
    pool.sort(key=lambda sc: rank(seed, cand, "scenario", sc.id))
    chosen: list[Scenario] = []
    wanted = d.tiers.items() if d.tiers else [("any", section.count)]
    for tier, n in wanted:
        taken = {sc.id for sc in chosen}
        fit = [sc for sc in pool if tier in ("any", sc.difficulty) and sc.id not in taken]
        if len(fit) < n:
            raise DrawError(
                f"section '{section.id}' needs {n} {tier} scenarios; the library has {len(fit)}"
            )
        chosen += fit[:n]
    # Calls go from easier to harder, as in the classroom.
    chosen.sort(key=lambda sc: TIERS.index(sc.difficulty))
    return [
        PlannedItem(
            f"{section.id}/{sc.id}",
            section.id,
            sc.id,
            sc.difficulty,
            seed=call_seed(seed, cand, sc.id),
            version=sc.version,
        )
        for sc in chosen
    ]

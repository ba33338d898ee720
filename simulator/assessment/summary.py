"""Strengths and gaps of one exam result: the topics and skills behind the figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

STRONG_PERCENT = 80  # a topic at or above this share is a strength
WEAK_PERCENT = 60  # below this, a gap


@dataclass(frozen=True, slots=True)
class Profile:
    strong_topics: tuple[str, ...]
    weak_topics: tuple[str, ...]
    strong_skills: tuple[str, ...]  # behaviour tags from the calls
    weak_skills: tuple[str, ...]


def profile(result: Mapping[str, Any]) -> Profile:
    """Topics by their theory share (best or worst first), skills as the calls showed them."""
    topics: Mapping[str, Mapping[str, Any]] = result.get("topics") or {}
    shares = {t: Decimal(str(v["percent"])) for t, v in topics.items()}
    strong = sorted((t for t, p in shares.items() if p >= STRONG_PERCENT), key=lambda t: -shares[t])
    weak = sorted((t for t, p in shares.items() if p < WEAK_PERCENT), key=lambda t: shares[t])
    skills: Mapping[str, Any] = result.get("skills") or {}
    gaps = [str(s) for s in skills.get("gaps", [])]
    strengths = [str(s) for s in skills.get("strengths", []) if s not in gaps]
    return Profile(tuple(strong), tuple(weak), tuple(strengths), tuple(gaps))

"""Skill counts of one attempt: how often the best reply used a tag, and the trainee too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def skill_counts(
    turns: Iterable[tuple[Sequence[str], Sequence[str]]],
) -> dict[str, dict[str, int]]:
    """From each turn's (reply tags, best reply tags): per tag, ``chances`` (the best reply
    used it), ``hits`` (so did the trainee's) and ``misuses`` (the trainee's reply used it
    where the best did not — what counts for a tag that costs points)."""
    out: dict[str, dict[str, int]] = {}
    for tags, best in turns:
        mine, ideal = set(tags), set(best)
        for tag in mine | ideal:
            c = out.setdefault(tag, {"chances": 0, "hits": 0, "misuses": 0})
            if tag in ideal:
                c["chances"] += 1
                if tag in mine:
                    c["hits"] += 1
            else:
                c["misuses"] += 1
    return dict(sorted(out.items()))

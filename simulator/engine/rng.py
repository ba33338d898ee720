"""Seeded choices that stay the same on every machine and Python version.

``random.shuffle`` is not promised to give the same order across Python releases, so
orders and variants come from a keyed hash of the seed and the ids involved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")


# A pure function of its arguments, asked the same few (seed, state, visit) keys again and
# again (every reply picks its next line; exploration makes tens of thousands of replies):
# a cache lookup costs a fraction of the hash.
@lru_cache(maxsize=1 << 16)
def keyed(seed: int, *parts: str) -> int:
    h = hashlib.blake2b(digest_size=8, person=b"calldrill")
    h.update(str(seed).encode())
    for part in parts:
        h.update(b"\x1f")
        h.update(part.encode())
    return int.from_bytes(h.digest(), "big")


def pick(seed: int, n: int, *parts: str) -> int:
    """An index in range(n)."""
    return 0 if n <= 1 else keyed(seed, *parts) % n


def order(seed: int, items: Sequence[T], key_of: Sequence[str], *parts: str) -> list[T]:
    """``items`` in a seeded order; ``key_of`` gives each item's stable id."""
    ranked = sorted(range(len(items)), key=lambda i: (keyed(seed, *parts, key_of[i]), i))
    return [items[i] for i in ranked]

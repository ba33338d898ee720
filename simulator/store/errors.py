"""The store's own errors: each says what went wrong and what to do, without a traceback."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot be used as asked (unreachable server, unsafe settings, bad file)."""

"""Persistence: trainees, attempts and turns in SQLite (default) or PostgreSQL.

May import the pure layers (scenario, engine, scoring), never the TUI.
"""

from simulator.store.errors import StoreError
from simulator.store.location import resolve_url
from simulator.store.store import AttemptInfo, Store, StoredTurn, TraineeInfo

__all__ = ["AttemptInfo", "Store", "StoreError", "StoredTurn", "TraineeInfo", "resolve_url"]

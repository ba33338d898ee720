"""Attempts as plain records, streamed in chunks: what exports write and imports read.

A record is JSON-ready (times as ISO 8601 UTC strings) and complete enough to rebuild
the attempt on another machine: ``calldrill import`` reads exactly what JSONL holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from simulator.store.store import Store
from simulator.store.tables import Attempt, Trainee, TurnRow

RECORD_FORMAT = 1
CHUNK = 2000

ATTEMPT_FIELDS = (
    "uid",
    "scenario_id",
    "scenario_version",
    "seed",
    "mode",
    "lang",
    "status",
    "started_at",
    "finished_at",
    "elapsed_ms",
    "time_limit_s",
    "outcome",
    "ending",
    "total",
    "passed",
    "expression",
    "process",
    "solving",
    "emotion",
)
TURN_FIELDS = (
    "number",
    "state",
    "phase",
    "concern",
    "choice",
    "shown_as",
    "offered",
    "tags",
    "points",
    "score_delta",
    "best",
    "best_tags",
    "mood_after",
    "changes",
    "next",
    "elapsed_ms",
    "answered_at",
    "text",
)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite gives stored UTC times back without a zone
        return value.isoformat() + "Z"
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iter_records(
    store: Store,
    *,
    trainee: str | None = None,
    since: str | None = None,
    turns: bool = True,
    debrief: bool = True,
) -> Iterator[dict[str, Any]]:
    cols = [getattr(Attempt, f) for f in ATTEMPT_FIELDS]
    if debrief:
        cols.append(Attempt.debrief)
    q = (
        select(Attempt.id, Trainee.name, Trainee.group_name, *cols)
        .join(Trainee, Trainee.id == Attempt.trainee_id)
        .order_by(Attempt.started_at, Attempt.id)
    )
    if trainee:
        q = q.where(Trainee.name == trainee)
    if since:
        q = q.where(Attempt.started_at >= datetime.fromisoformat(since).replace(tzinfo=UTC))
    with store.engine.connect() as conn:
        result = conn.execution_options(yield_per=CHUNK).execute(q)
        for chunk in result.partitions():
            by_attempt: dict[int, list[dict[str, Any]]] = {}
            if turns:
                ids = [r.id for r in chunk]
                tq = (
                    select(TurnRow.attempt_id, *[getattr(TurnRow, f) for f in TURN_FIELDS])
                    .where(TurnRow.attempt_id.in_(ids))
                    .order_by(TurnRow.attempt_id, TurnRow.number)
                )
                with store.engine.connect() as tconn:
                    for t in tconn.execute(tq):
                        d = {f: getattr(t, f) for f in TURN_FIELDS}
                        d["answered_at"] = iso(t.answered_at)
                        by_attempt.setdefault(t.attempt_id, []).append(d)
            for r in chunk:
                # Positional: much faster than attribute access on 100,000 rows.
                rec: dict[str, Any] = {"format": RECORD_FORMAT, "trainee": r[1], "group": r[2]}
                rec.update(zip(ATTEMPT_FIELDS, r[3 : 3 + len(ATTEMPT_FIELDS)], strict=True))
                rec["started_at"] = iso(rec["started_at"])
                rec["finished_at"] = iso(rec["finished_at"])
                if debrief:
                    rec["debrief"] = r[3 + len(ATTEMPT_FIELDS)]
                if turns:
                    rec["turns"] = by_attempt.get(r[0], [])
                yield rec

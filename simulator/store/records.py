"""Attempts as plain records, streamed in chunks: what exports write and imports read.

A record is JSON-ready (times as ISO 8601 UTC strings) and complete enough to rebuild
the attempt on another machine: ``calldrill import`` reads exactly what JSONL holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from simulator.store.store import Store, _utc
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
    value = _utc(value)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


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
                rec: dict[str, Any] = {
                    "format": RECORD_FORMAT,
                    "trainee": r.name,
                    "group": r.group_name,
                }
                for f in ATTEMPT_FIELDS:
                    rec[f] = getattr(r, f)
                rec["started_at"] = iso(r.started_at)
                rec["finished_at"] = iso(r.finished_at)
                if debrief:
                    rec["debrief"] = r.debrief
                if turns:
                    rec["turns"] = by_attempt.get(r.id, [])
                yield rec

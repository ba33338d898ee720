"""``calldrill import``: attempts exported as JSONL on another machine, merged in.

An attempt is known by its uid: one already here is skipped, unless it is still open
here and finished in the file (the laptop got further), in which case the file's
version replaces it. Trainees are matched by name and made when missing. Each attempt
is merged in its own transaction, so an interrupted import can simply be run again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select

from simulator.store.errors import StoreError
from simulator.store.records import ATTEMPT_FIELDS, RECORD_FORMAT, TURN_FIELDS, parse_iso
from simulator.store.skill_totals import add_totals, stored_counts
from simulator.store.skills import skill_counts
from simulator.store.store import FINISHED, OPEN, Store
from simulator.store.tables import Attempt, SkillStat, TurnRow

MAX_LINE = 16 * 1024 * 1024


@dataclass
class MergeResult:
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    trainees_added: list[str] = field(default_factory=list)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records from an export file; a broken line is named with its number."""
    try:
        fh = path.open("r", encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    with fh:
        for number, line in enumerate(fh, start=1):
            if len(line) > MAX_LINE:
                raise StoreError(f"{path}:{number}: the line is too long to be an attempt")
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise StoreError(
                    f"{path}:{number}:{exc.colno}: not JSON ({exc.msg}); "
                    "import reads files made by `calldrill export --format jsonl`"
                ) from None
            _check(rec, path, number)
            yield rec


def _check(rec: object, path: Path, number: int) -> None:
    where = f"{path}:{number}"
    if not isinstance(rec, dict):
        raise StoreError(f"{where}: not an attempt record (expected a JSON object)")
    if rec.get("format") != RECORD_FORMAT:
        raise StoreError(f"{where}: record format {rec.get('format')!r}; this calldrill reads 1")
    missing = [f for f in ("trainee", *ATTEMPT_FIELDS, "turns") if f not in rec]
    if missing:
        raise StoreError(f"{where}: the record lacks {', '.join(missing)}")
    if not isinstance(rec["turns"], list) or any(
        not isinstance(t, dict) or any(f not in t for f in TURN_FIELDS) for t in rec["turns"]
    ):
        raise StoreError(f"{where}: its turns are not calldrill turns")


def merge(store: Store, records: Iterable[dict[str, Any]]) -> MergeResult:
    result = MergeResult()
    trainee_ids: dict[str, int] = {}
    for rec in records:
        name = str(rec["trainee"])
        if name not in trainee_ids:
            known = store.find_trainee(name) is not None
            info = store.trainee(name, group=rec.get("group"), lang=str(rec["lang"]))
            if not known:
                result.trainees_added.append(name)
            trainee_ids[name] = info.id
        with store.transaction() as conn:
            here = conn.execute(
                select(Attempt.id, Attempt.status).where(Attempt.uid == rec["uid"])
            ).first()
            if here is not None:
                if not (here.status == OPEN and rec["status"] == FINISHED):
                    result.skipped += 1
                    continue
                old_tr, old_counts = stored_counts(conn, here.id)
                if old_tr is not None:
                    add_totals(conn, old_tr, old_counts, sign=-1)
                conn.execute(delete(Attempt).where(Attempt.id == here.id))
                result.replaced += 1
            else:
                result.added += 1
            values = {f: rec[f] for f in ATTEMPT_FIELDS}
            values["started_at"] = parse_iso(rec["started_at"])
            values["finished_at"] = parse_iso(rec["finished_at"])
            attempt_id = conn.execute(
                insert(Attempt)
                .values(
                    **values,
                    trainee_id=trainee_ids[name],
                    debrief=rec.get("debrief"),
                    origin="import",
                )
                .returning(Attempt.id)
            ).scalar_one()
            turns = [
                {
                    **{f: t[f] for f in TURN_FIELDS},
                    "answered_at": parse_iso(t["answered_at"]),
                    "attempt_id": attempt_id,
                }
                for t in rec["turns"]
            ]
            if turns:
                conn.execute(insert(TurnRow), turns)
            if rec["status"] == FINISHED:
                counts = skill_counts((t["tags"], t["best_tags"]) for t in rec["turns"])
                if counts:
                    conn.execute(
                        insert(SkillStat),
                        [
                            {
                                "attempt_id": attempt_id,
                                "trainee_id": trainee_ids[name],
                                "tag": tag,
                                **c,
                            }
                            for tag, c in counts.items()
                        ],
                    )
                    add_totals(conn, trainee_ids[name], counts)
    return result

"""Attempts for spreadsheets (CSV, one row per attempt or per reply) and as JSONL."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from simulator.scenario.model import DIMENSIONS

ATTEMPT_COLUMNS = (
    "attempt",
    "trainee",
    "group",
    "scenario",
    "version",
    "mode",
    "lang",
    "status",
    "started_at",
    "finished_at",
    "duration_s",
    "outcome",
    "ending",
    "total",
    "passed",
    *DIMENSIONS,
    "seed",
)
TURN_COLUMNS = (
    "attempt",
    "trainee",
    "scenario",
    "version",
    "turn",
    "state",
    "phase",
    "choice",
    "shown_as",
    "tags",
    "score_delta",
    *DIMENSIONS,
    "best",
    "next",
    "elapsed_s",
    "answered_at",
    "typed_text",
)


def cell(value: object) -> object:
    """A spreadsheet cell that cannot run as a formula (text from trainees is untrusted)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_attempts_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(ATTEMPT_COLUMNS)
    n = 0
    for r in records:
        w.writerow(
            (
                r["uid"],
                cell(r["trainee"]),
                cell(r["group"] or ""),
                r["scenario_id"],
                r["scenario_version"],
                r["mode"],
                r["lang"],
                r["status"],
                r["started_at"],
                r["finished_at"] or "",
                f"{r['elapsed_ms'] / 1000:.1f}",
                r["outcome"] or "",
                r["ending"] or "",
                "" if r["total"] is None else r["total"],
                "" if r["passed"] is None else ("yes" if r["passed"] else "no"),
                *("" if r[d] is None else r[d] for d in DIMENSIONS),
                r["seed"],
            )
        )
        n += 1
    return n


def write_turns_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(TURN_COLUMNS)
    n = 0
    for r in records:
        for t in r["turns"]:
            w.writerow(
                (
                    r["uid"],
                    cell(r["trainee"]),
                    r["scenario_id"],
                    r["scenario_version"],
                    t["number"],
                    t["state"],
                    t["phase"],
                    t["choice"],
                    t["shown_as"],
                    " ".join(t["tags"]),
                    t["score_delta"],
                    *(t["points"].get(d, 0) for d in DIMENSIONS),
                    t["best"],
                    t["next"],
                    f"{t['elapsed_ms'] / 1000:.1f}",
                    t["answered_at"],
                    cell(t["text"] or ""),
                )
            )
            n += 1
    return n


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        out.write("\n")
        n += 1
    return n

"""The cohort table for HR: one CSV row per exam result.

Section scores, pass or fail, and the strengths and gaps behind them (theory topics and
the skills the calls showed), named in the chosen language. Cells that a spreadsheet
would run as a formula are defused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from simulator.assessment.model import TOPICS
from simulator.assessment.summary import profile
from simulator.report.exports import cell
from simulator.scenario.model import Lang, Text

BASE_COLUMNS = (
    "candidate",
    "blueprint",
    "attempt",
    "started_at",
    "finished_at",
    "passed",
    "total_earned",
    "total_max",
    "total_percent",
)
TAIL_COLUMNS = (
    "failed_because",
    "strong_topics",
    "weak_topics",
    "strong_skills",
    "weak_skills",
    "signature",
)


def _section_ids(results: Sequence[Mapping[str, Any]]) -> list[str]:
    ids: list[str] = []
    for r in results:
        for s in r.get("sections") or []:
            if s.get("id") not in ids:
                ids.append(str(s.get("id")))
    return ids


def write_cohort_csv(
    rows: Iterable[tuple[Mapping[str, Any], str]],
    out: TextIO,
    lang: Lang,
    tag_names: Mapping[str, Text],
) -> int:
    """Write (result, signature status) pairs; returns the number of rows written."""
    pairs = list(rows)
    sections = _section_ids([r for r, _ in pairs])
    columns = [
        *BASE_COLUMNS,
        *(f"{sid}_{part}" for sid in sections for part in ("earned", "max", "percent", "passed")),
        *TAIL_COLUMNS,
    ]
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)

    def topic(tid: str) -> str:
        return TOPICS[tid].get(lang) if tid in TOPICS else tid

    def skill(tag: str) -> str:
        return tag_names[tag].get(lang) if tag in tag_names else tag

    for result, status in pairs:
        by_id = {str(s.get("id")): s for s in result.get("sections") or []}
        total = result.get("total") or {}
        p = profile(result)
        row: list[object] = [
            result.get("candidate"),
            (result.get("blueprint") or {}).get("id"),
            result.get("attempt"),
            result.get("started_at"),
            result.get("finished_at"),
            "yes" if result.get("passed") else "no",
            total.get("earned"),
            total.get("max"),
            total.get("percent"),
        ]
        for sid in sections:
            s = by_id.get(sid)
            if s is None:
                row += ["", "", "", ""]
            else:
                row += [
                    s.get("earned"),
                    s.get("max"),
                    s.get("percent"),
                    "yes" if s.get("passed") else "no",
                ]
        row += [
            "; ".join(str(x) for x in result.get("failed_because") or []),
            "; ".join(topic(x) for x in p.strong_topics),
            "; ".join(topic(x) for x in p.weak_topics),
            "; ".join(skill(x) for x in p.strong_skills),
            "; ".join(skill(x) for x in p.weak_skills),
            status,
        ]
        w.writerow([cell(v) for v in row])
    return len(pairs)

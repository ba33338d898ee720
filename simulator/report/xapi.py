"""xAPI 1.0.3 statements for stored attempts: one per answered reply, and per finished
attempt a ``completed`` plus a ``passed`` or ``failed``.

Statement ids are UUID 5 of the attempt's uid and the event, so exporting the same
attempt twice gives the same statements and an LRS stores them once. Identifiers are
IRIs under ``urn:calldrill:`` (activities) and the account home page given on export.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from simulator import __version__
from simulator.scenario.model import DIMENSIONS

XAPI_VERSION = "1.0.3"
NAMESPACE = uuid.UUID("6f6d1a0e-5f1b-5b8e-9c1d-63616c6c6472")
VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
VERB_NAMES = {
    "answered": {"en-US": "answered", "zh-CN": "回答"},
    "completed": {"en-US": "completed", "zh-CN": "完成"},
    "passed": {"en-US": "passed", "zh-CN": "通过"},
    "failed": {"en-US": "failed", "zh-CN": "未通过"},
}
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
EXT = "urn:calldrill:xapi:ext:"
DEFAULT_HOME_PAGE = "http://localhost/calldrill"


def statement_id(attempt_uid: str, event: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{attempt_uid}/{event}"))


def duration(ms: int) -> str:
    """ISO 8601 duration, as xAPI wants it: PT1M5.25S."""
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds = rest / 1000
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if seconds or out == "PT":
        out += f"{seconds:g}S"
    return out


def _lang_tag(lang: str) -> str:
    return "zh-CN" if lang == "zh" else "en-US"


def _scenario_activity(rec: dict[str, Any]) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"urn:calldrill:scenario:{rec['scenario_id']}",
        "definition": {
            "type": SIMULATION,
            "name": {"en-US": rec["scenario_id"]},
        },
    }


def statements(
    records: Iterable[dict[str, Any]], *, home_page: str = DEFAULT_HOME_PAGE
) -> Iterator[dict[str, Any]]:
    for rec in records:
        actor = {
            "objectType": "Agent",
            "name": rec["trainee"],
            "account": {"homePage": home_page, "name": rec["trainee"]},
        }
        scenario = _scenario_activity(rec)
        context = {
            "registration": rec["uid"],
            "platform": f"calldrill {__version__}",
            "language": _lang_tag(rec["lang"]),
            "extensions": {
                f"{EXT}scenario-version": rec["scenario_version"],
                f"{EXT}seed": rec["seed"],
                f"{EXT}mode": rec["mode"],
            },
        }
        previous_ms = 0
        for t in rec.get("turns", []):
            spent, previous_ms = t["elapsed_ms"] - previous_ms, t["elapsed_ms"]
            yield {
                "id": statement_id(rec["uid"], f"turn/{t['number']}"),
                "actor": actor,
                "verb": {"id": VERBS["answered"], "display": VERB_NAMES["answered"]},
                "object": {
                    "objectType": "Activity",
                    "id": f"urn:calldrill:scenario:{rec['scenario_id']}:state:{t['state']}",
                    "definition": {
                        "type": INTERACTION,
                        "name": {"en-US": f"{rec['scenario_id']} / {t['state']}"},
                        "interactionType": "choice",
                    },
                },
                "result": {
                    "response": t["choice"],
                    "success": t["choice"] == t["best"],
                    "score": {"raw": t["score_delta"]},
                    "duration": duration(spent),
                    "extensions": {f"{EXT}tags": list(t["tags"])},
                },
                "context": {
                    **context,
                    "contextActivities": {"parent": [scenario]},
                    "extensions": {**context["extensions"], f"{EXT}turn": t["number"]},
                },
                "timestamp": t["answered_at"],
            }
        if rec["status"] != "finished" or rec["total"] is None:
            continue
        total = float(rec["total"])
        result = {
            "completion": True,
            "success": bool(rec["passed"]),
            "score": {"scaled": round(total / 100, 4), "raw": total, "min": 0, "max": 100},
            "duration": duration(rec["elapsed_ms"]),
            "extensions": {
                f"{EXT}outcome": rec["outcome"],
                **{f"{EXT}dimension:{d}": rec[d] for d in DIMENSIONS if rec.get(d) is not None},
            },
        }
        for verb in ("completed", "passed" if rec["passed"] else "failed"):
            yield {
                "id": statement_id(rec["uid"], verb if verb == "completed" else "verdict"),
                "actor": actor,
                "verb": {"id": VERBS[verb], "display": VERB_NAMES[verb]},
                "object": scenario,
                "result": result,
                "context": context,
                "timestamp": rec["finished_at"],
            }

"""An old attempt rebuilt for its debrief: its stored replies replayed on the same seed.

Replaying gives the full debrief (every tab) of any attempt the library can still play.
It is refused, and the caller shows the summary saved at the time instead, when the
scenario is gone, has a new version, or replays differently from what was stored (its
text changed without a new version, or the tags' points changed the score).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine import Call, CallPlot, NotOffered
from simulator.scenario.model import Library
from simulator.scoring.rubric import score_call
from simulator.store.recorder import RecordedCall, ResumeError
from simulator.store.store import FINISHED, AttemptInfo, Store

GONE, CHANGED, MISMATCH = "gone", "changed", "mismatch"


@dataclass(frozen=True, slots=True)
class Replayed:
    call: Call | None  # None: not replayable, see ``why``
    why: str | None = None  # GONE, CHANGED or MISMATCH
    version_now: int | None = None


def replay(store: Store, attempt: AttemptInfo, library: Library) -> Replayed:
    sc = library.scenarios.get(attempt.scenario_id)
    if sc is None:
        return Replayed(None, GONE)
    if sc.version != attempt.scenario_version:
        return Replayed(None, CHANGED, sc.version)
    # The very replay that resumes a call (typed replies, misunderstandings and all),
    # with its check that every turn lands where it was stored. Nothing is written.
    try:
        call = RecordedCall.resume(store, attempt, CallPlot(sc, library.tags, library.rubric)).call
    except (ResumeError, NotOffered):
        return Replayed(None, MISMATCH)
    if attempt.status == FINISHED and not _same_score(call, attempt):
        call.close()
        return Replayed(None, MISMATCH)
    return Replayed(call)


def _same_score(call: Call, attempt: AttemptInfo) -> bool:
    # Tag points live outside the scenario: a change there alters the score silently.
    total = score_call(call).total
    return call.finished and (attempt.total is None or abs(total - attempt.total) <= 0.05)

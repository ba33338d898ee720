"""A call that saves itself: every reply is committed to the store as it is answered.

The TUI and the CLI play through a ``RecordedCall`` instead of a bare ``Call``; the
engine itself never touches the store. ``resume`` rebuilds an unfinished attempt by
replaying its stored replies on the same seed, and checks that the replay lands on
the very mood the store recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from simulator.engine.call import Call, CallPlot, NotOffered
from simulator.engine.turn import Turn
from simulator.scenario.model import Lang, Scenario
from simulator.scoring.debrief import debrief
from simulator.scoring.rubric import score_call
from simulator.store.store import AttemptInfo, Store, StoredTurn


class ResumeError(ValueError):
    """An unfinished attempt cannot be rebuilt (its scenario changed or is gone)."""


def replay_turn(call: Call, stored: StoredTurn) -> Turn:
    """One stored turn played again: first the typed replies the customer did not
    understand (free text; the mood moves they made), then the reply, a typed one with
    the tags it showed. NotOffered when it no longer fits the scenario."""
    mood = call.scenario.persona.mood
    for change in stored.changes:
        if change.get("cause") == "misunderstood":
            var, delta = str(change.get("var")), change.get("delta")
            if var not in mood or not isinstance(delta, int):
                raise NotOffered(f"a misunderstood reply moved an unknown mood '{var}'")
            call.misunderstood({var: delta})
    if stored.text is not None:
        return call.reply(stored.choice, tags=stored.tags, text=stored.text)
    return call.reply(stored.choice)


class RecordedCall:
    def __init__(
        self,
        store: Store,
        attempt: AttemptInfo,
        call: Call,
        *,
        library: Iterable[Scenario] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.attempt = attempt
        self.call = call
        self.library = tuple(library)
        self._clock = clock
        # Time already spent before this process took the call over (a resumed call).
        self._base_ms = attempt.elapsed_ms
        self._since = clock()
        self.finished_saved = False

    @classmethod
    def start(
        cls,
        store: Store,
        trainee_id: int,
        call: Call,
        *,
        mode: str,
        lang: Lang,
        time_limit_s: int | None = None,
        library: Iterable[Scenario] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> RecordedCall:
        sc = call.scenario
        attempt = store.start_attempt(
            trainee_id,
            sc.id,
            sc.version,
            call.seed,
            mode=mode,
            lang=lang,
            time_limit_s=time_limit_s,
        )
        return cls(store, attempt, call, library=library, clock=clock)

    @classmethod
    def resume(
        cls,
        store: Store,
        attempt: AttemptInfo,
        plot: CallPlot,
        *,
        library: Iterable[Scenario] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> RecordedCall:
        sc = plot.scenario
        if attempt.scenario_id != sc.id or attempt.scenario_version != sc.version:
            raise ResumeError(
                f"the call was played on {attempt.scenario_id} v{attempt.scenario_version}; "
                f"the library now has {sc.id} v{sc.version}"
            )
        call = plot.new_call(attempt.seed)
        for stored in attempt.turns:
            try:
                turn = replay_turn(call, stored)
            except NotOffered as exc:
                call.close()
                raise ResumeError(f"turn {stored.number} does not replay: {exc}") from None
            if dict(turn.mood_after) != stored.mood_after or turn.next != stored.next:
                call.close()
                raise ResumeError(
                    f"turn {stored.number} does not replay as it was stored "
                    "(the scenario changed without a new version)"
                )
        return cls(store, attempt, call, library=library, clock=clock)

    # Time.

    @property
    def elapsed_ms(self) -> int:
        return self._base_ms + int((self._clock() - self._since) * 1000)

    @property
    def remaining_s(self) -> float | None:
        limit = self.attempt.time_limit_s
        if limit is None:
            return None
        return max(0.0, limit - self.elapsed_ms / 1000)

    def heartbeat(self) -> None:
        if not self.call.finished:
            self.store.heartbeat(self.attempt.id, self.elapsed_ms)

    # Playing.

    @property
    def turns(self) -> list[Turn]:
        return self.call.turns

    def reply_number(self, number: int, *, text: str | None = None) -> Turn:
        return self._saved(self.call.reply_number(number), text)

    def reply(
        self, choice_id: str, *, tags: tuple[str, ...] | None = None, text: str | None = None
    ) -> Turn:
        """``tags`` and ``text``: a typed reply (free-text mode), kept as it was said."""
        if text is not None and tags is None:
            tags = self.call.scenario.states[self.call.state].choice(choice_id).tags
        return self._saved(self.call.reply(choice_id, tags=tags, text=text), text)

    def misunderstood(self, effects: dict[str, int], typed: str = "") -> None:
        """A typed reply the customer did not understand: nothing is stored until the next
        reply, whose turn keeps its mood change (a crash in between loses the miss)."""
        self.call.misunderstood(effects, typed)

    def _saved(self, turn: Turn, text: str | None) -> Turn:
        best = self.call.scenario.states[turn.state].choice(turn.best)
        self.store.record_turn(
            self.attempt.id, turn, self.elapsed_ms, best_tags=best.tags, text=text
        )
        if self.call.finished:
            self.save_finished()
        return turn

    def undo(self) -> Turn:
        """Take back the last reply: from the store first, so a failure changes nothing."""
        if not self.call.turns:
            return self.call.undo()  # raises NotOffered
        self.store.undo_turn(self.attempt.id, self.call.turns[-1].number)
        return self.call.undo()

    def save_finished(self, report: dict[str, Any] | None = None) -> None:
        if self.finished_saved:
            return
        call = self.call
        if report is None:
            report = debrief(call, self.attempt.lang, self.library).as_dict()  # type: ignore[arg-type]
        self.store.finish_attempt(
            self.attempt.id,
            ending=call.state if call.finished else None,
            score=score_call(call),
            elapsed_ms=self.elapsed_ms,
            debrief=report,
        )
        self.finished_saved = True

    def abandon(self) -> None:
        self.store.abandon(self.attempt.id)
        self.call.close()

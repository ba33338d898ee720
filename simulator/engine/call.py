"""One attempt at a scenario: a transitions model that moves through the plot.

The Machine is built once per scenario (``CallPlot``); each ``Call`` is added to it as
a model. Branch conditions are transitions ``conditions``, so the first branch whose
condition holds is the one taken, in the order the author wrote them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from transitions import Machine

from simulator.engine import rng
from simulator.engine.conditions import History, Predicate, compiled, copy_counter
from simulator.engine.turn import MoodChange, Turn
from simulator.scenario.model import (
    DIMENSIONS,
    Choice,
    Ending,
    Reaction,
    Rubric,
    Scenario,
    State,
    TagDef,
    Text,
)

SNAPSHOT_FORMAT = 1


class NotOffered(ValueError):
    """The reply is not one of the choices on offer now."""


class RestoreError(ValueError):
    """A snapshot does not fit this scenario (another id or version, or edited)."""


def _trigger(state: str, choice: str) -> str:
    return f"reply:{state}:{choice}"


def _forced(event: str) -> str:
    return f"persona:{event}"


def _branch_holds(test: Predicate, *, history: History) -> bool:
    return test(history)


class CallPlot:
    """A scenario made playable: its state machine and scoring table, built once."""

    def __init__(self, scenario: Scenario, tags: Mapping[str, TagDef], rubric: Rubric) -> None:
        self.scenario = scenario
        self.tags = tags
        self.rubric = rubric
        self.machine = Machine(
            model=None,
            states=list(scenario.node_ids()),
            initial=scenario.start,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )
        for state in scenario.states.values():
            for choice in state.choices:
                for branch in choice.branches:
                    conditions: list[str | Callable[..., bool | None]] = (
                        [partial(_branch_holds, compiled(branch.when))] if branch.when else []
                    )
                    self.machine.add_transition(
                        _trigger(state.id, choice.id), state.id, branch.next, conditions=conditions
                    )
        for event, ending in scenario.on_persona_event.items():
            self.machine.add_transition(_forced(event), list(scenario.states), ending)
        # Points per choice never change: compute them once.
        self.points: dict[tuple[str, str], dict[str, int]] = {}
        for state in scenario.states.values():
            for choice in state.choices:
                self.points[(state.id, choice.id)] = self._choice_points(choice)
        # Per state, the best reply and the most each dimension could earn: every reply
        # records both, and neither changes during a call.
        self._best: dict[str, Choice] = {}
        self.available: dict[str, dict[str, int]] = {}
        for state in scenario.states.values():
            self._best[state.id] = max(
                state.choices, key=lambda c: sum(self.points[(state.id, c.id)].values())
            )
            most = dict.fromkeys(DIMENSIONS, 0)
            for c in state.choices:
                for dim, value in self.points[(state.id, c.id)].items():
                    most[dim] = max(most[dim], value)
            self.available[state.id] = most
        # What every reply looks up, gathered once: per tag the persona's reactions to it
        # (with their index, in the author's order), the mood limits, and the thresholds
        # that force an ending.
        persona = scenario.persona
        self.reactions: dict[str, list[tuple[int, Reaction, Predicate | None]]] = {}
        for index, reaction in enumerate(persona.reactions):
            test = None if reaction.when is None else compiled(reaction.when)
            self.reactions.setdefault(reaction.tag, []).append((index, reaction, test))
        self.limits = {v: (m.min, m.max) for v, m in persona.mood.items()}
        self.forcing = tuple(
            (t.event, compiled(t.when))
            for t in persona.thresholds
            if t.event in scenario.on_persona_event
        )

    def _choice_points(self, choice: Choice) -> dict[str, int]:
        return self.tag_points(choice.tags, choice)

    def tag_points(self, tags: Iterable[str], choice: Choice) -> dict[str, int]:
        """The points of a reply showing ``tags``, plus the author's own points for the choice."""
        pts = dict.fromkeys(DIMENSIONS, 0)
        for tag in tags:
            for dim, value in self.tags[tag].points.items():
                pts[dim] += value
        for dim, value in choice.points.items():
            pts[dim] += value
        return pts

    def best_choice(self, state: State) -> Choice:
        """The reply with the most points in total; the author's order breaks ties."""
        return self._best[state.id]

    def new_call(self, seed: int = 0) -> Call:
        return Call(self, seed)


class Call:
    """One attempt. Pull-based: read ``customer_lines`` and ``choices``, then ``reply``."""

    state: str  # set by the transitions Machine

    def __init__(self, plot: CallPlot, seed: int = 0) -> None:
        self.plot = plot
        self.scenario = plot.scenario
        self.seed = int(seed)
        self._reset()

    def _reset(self) -> None:
        sc = self.scenario
        self.history = History(
            mood={v.id: v.start for v in sc.persona.mood.values()},
            visits=Counter({sc.start: 1}),
        )
        self.turns: list[Turn] = []
        # The same counter as the history's, which ``visited`` conditions test.
        self.visits: Counter[str] = self.history.visits
        self._quiet_since: dict[str, int] = {i.id: 0 for i in sc.persona.interjections}
        self.opening_variant = rng.pick(
            self.seed, len(sc.states[sc.start].lines), "line", sc.start, "1"
        )
        self._line_variant = self.opening_variant
        # Typed replies the customer did not understand since the last reply (free text):
        # their mood cost is applied at once and kept with the next turn.
        self._misses: list[dict[str, Any]] = []
        self._miss_changes: list[MoodChange] = []
        self._before_misses: dict[str, int] | None = None
        self.plot.machine.add_model(self, initial=sc.start)
        self._attached = True

    # Reading the call.

    @property
    def mood(self) -> dict[str, int]:
        return dict(self.history.mood)

    @property
    def finished(self) -> bool:
        return self.state in self.scenario.endings

    @property
    def node(self) -> State | Ending:
        sc = self.scenario
        return sc.endings[self.state] if self.finished else sc.states[self.state]

    @property
    def ending(self) -> Ending | None:
        return self.scenario.endings.get(self.state)

    @property
    def outcome(self) -> str | None:
        ending = self.ending
        return ending.outcome if ending else None

    @property
    def customer_lines(self) -> list[Text]:
        """What the customer says now: an aside of their own (if any), then the line."""
        out: list[Text] = []
        last = self.turns[-1] if self.turns else None
        if last and last.interjection:
            inter = next(
                i for i in self.scenario.persona.interjections if i.id == last.interjection
            )
            out.append(inter.lines[last.interjection_variant])
        out.append(self.node.lines[self._line_variant])
        return out

    @property
    def customer_line(self) -> Text:
        return self.node.lines[self._line_variant]

    @property
    def choices(self) -> list[Choice]:
        """The replies on offer, in the seeded display order (1 = first shown)."""
        if self.finished:
            return []
        state = self.scenario.states[self.state]
        return rng.order(
            self.seed,
            state.choices,
            [c.id for c in state.choices],
            "order",
            state.id,
            str(self.visits[state.id]),
        )

    @property
    def transcript(self) -> list[Turn]:
        return list(self.turns)

    # Playing.

    def reply_number(self, number: int) -> Turn:
        """Reply with the choice shown as ``number`` (1-based)."""
        shown = self.choices
        if not 1 <= number <= len(shown):
            raise NotOffered(
                f"reply {number} is not offered: choose 1 to {len(shown)}"
                if shown
                else "the call has ended; no reply is offered"
            )
        return self.reply(shown[number - 1].id)

    def reply(
        self, choice_id: str, *, tags: Sequence[str] | None = None, text: str | None = None
    ) -> Turn:
        """Answer with an offered choice. ``tags`` (free-text mode): the behaviour the
        typed reply showed, in place of the choice's authored tags, so it is scored and
        reacted to as it was said; the plot still moves as the choice does. ``text`` is
        what was typed, kept with the turn."""
        if self.finished:
            raise NotOffered("the call has ended; no reply is offered")
        state = self.scenario.states[self.state]
        shown = self.choices
        for choice in shown:
            if choice.id == choice_id:
                break
        else:
            raise NotOffered(f"'{choice_id}' is not a reply offered in state '{state.id}'")
        said = choice.tags
        points = self.plot.points[(state.id, choice.id)]
        if tags is not None:
            said = tuple(dict.fromkeys(tags))
            unknown = [t for t in said if t not in self.plot.tags]
            if unknown:
                raise NotOffered(f"unknown behaviour tags: {', '.join(unknown)}")
            points = self.plot.tag_points(said, choice)
        h = self.history
        number = len(self.turns) + 1
        h.turn = number
        before = dict(h.mood) if self._before_misses is None else self._before_misses
        changes: list[MoodChange] = list(self._miss_changes)
        misses = self._misses
        self._misses, self._miss_changes, self._before_misses = [], [], None
        persona = self.scenario.persona
        plot = self.plot
        # Reactions see the call as it was before this reply ("after they have vented"):
        # per tag, the first of its reactions whose condition holds.
        for tag in said:
            for index, reaction, test in plot.reactions.get(tag, ()):
                if test is None or test(h):
                    self._apply(reaction.mood, f"tag:{tag}", changes, index)
                    break
        if choice.mood:
            self._apply(choice.mood, "choice", changes)
        h.tags.update(said)
        h.chosen.add(choice.id)
        h.chosen.add(f"{state.id}.{choice.id}")
        h.events.update(choice.sets)

        interjection, inter_variant = None, 0
        for inter in persona.interjections:
            if any(t in inter.reset_by for t in said):
                self._quiet_since[inter.id] = number
            elif number - self._quiet_since[inter.id] >= inter.every:
                self._quiet_since[inter.id] = number
                self._apply(inter.mood, f"interjection:{inter.id}", changes)
                if interjection is None:
                    interjection = inter.id
                    inter_variant = rng.pick(
                        self.seed, len(inter.lines), "aside", inter.id, str(number)
                    )

        forced = None
        for event, test in plot.forcing:
            if test(h):
                forced = event
                break
        # Fired through the Machine's events rather than the bound model method, so a
        # transient fork (exploration) moves through the same Machine without joining it.
        events = self.plot.machine.events
        if forced is not None:
            events[_forced(forced)].trigger(self)
            interjection = None
        else:
            events[_trigger(state.id, choice.id)].trigger(self, history=h)
        self.visits[self.state] += 1
        node = self.node
        self._line_variant = rng.pick(
            self.seed, len(node.lines), "line", self.state, str(self.visits[self.state])
        )
        available = dict(plot.available[state.id])
        extra: dict[str, Any] = {}
        if tags is not None:
            extra = {"retagged": True, "typed": text}
        if misses:
            extra["misses"] = misses
        turn = Turn(
            number=number,
            state=state.id,
            phase=state.phase,
            concern=state.concern,
            offered=tuple([c.id for c in shown]),
            choice=choice.id,
            tags=said,
            points=dict(points),
            available=available,
            best=plot.best_choice(state).id,
            mood_before=before,
            mood_after=dict(h.mood),
            changes=tuple(changes),
            next=self.state,
            line_variant=self._line_variant,
            interjection=interjection,
            interjection_variant=inter_variant,
            forced_event=forced,
            extra=extra,
        )
        self.turns.append(turn)
        if self.finished:
            self.close()
        return turn

    def misunderstood(self, effects: Mapping[str, int], typed: str = "") -> list[MoodChange]:
        """A typed reply matched no offered choice (free-text mode): the customer asks what
        the agent means, and the mood moves by ``effects`` (simulator/scoring/misunderstood.py).
        No turn is taken; the next reply's turn keeps the miss (``extra["misses"]``) and its
        mood changes (cause ``misunderstood``, one per variable even when clamped to 0, so
        the misses can be counted from them)."""
        if self.finished:
            raise NotOffered("the call has ended; no reply is offered")
        mood = self.history.mood
        if self._before_misses is None:
            self._before_misses = dict(mood)
        out: list[MoodChange] = []
        for var, delta in effects.items():
            spec = self.scenario.persona.mood[var]
            new = min(spec.max, max(spec.min, mood[var] + delta))
            out.append(MoodChange(var, new - mood[var], "misunderstood"))
            mood[var] = new
        self._misses.append({"typed": typed, "mood": dict(effects)})
        self._miss_changes.extend(out)
        return out

    @property
    def pending_misses(self) -> list[dict[str, Any]]:
        """The misunderstood replies since the last reply (``{"typed", "mood"}``)."""
        return [dict(m) for m in self._misses]

    def _apply(
        self,
        effects: Mapping[str, int],
        cause: str,
        out: list[MoodChange],
        reaction: int | None = None,
    ) -> None:
        mood = self.history.mood
        limits = self.plot.limits
        for var, delta in effects.items():
            lo, hi = limits[var]
            old = mood[var]
            new = min(hi, max(lo, old + delta))
            if new != old:
                out.append(MoodChange(var, new - old, cause, reaction))
                mood[var] = new

    def fork(self) -> Call:
        """An independent copy of this call as it stands, for trying replies out.

        The copy is not added to the Machine (nothing needs to find it there): it is
        cheap, and it is dropped when it is no longer referenced.
        """
        twin = Call.__new__(Call)
        twin.plot, twin.scenario, twin.seed = self.plot, self.scenario, self.seed
        h = self.history
        twin.history = History(
            mood=dict(h.mood),
            turn=h.turn,
            events=set(h.events),
            chosen=set(h.chosen),
            tags=copy_counter(h.tags),
            visits=copy_counter(h.visits),
        )
        twin.turns = list(self.turns)
        twin.visits = twin.history.visits
        twin._quiet_since = dict(self._quiet_since)
        twin.opening_variant = self.opening_variant
        twin._line_variant = self._line_variant
        twin._misses = list(self._misses)
        twin._miss_changes = list(self._miss_changes)
        twin._before_misses = None if self._before_misses is None else dict(self._before_misses)
        twin.state = self.state
        twin._attached = False
        return twin

    def close(self) -> None:
        """Detach from the shared Machine; a finished or abandoned call needs it no more."""
        if self._attached:
            self.plot.machine.remove_model(self)
            self._attached = False

    # Saving, restoring, undoing.

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON-able data: enough to rebuild this call exactly."""
        snap: dict[str, Any] = {
            "format": SNAPSHOT_FORMAT,
            "scenario": self.scenario.id,
            "version": self.scenario.version,
            "seed": self.seed,
            "replies": [t.choice for t in self.turns],
            "state": self.state,
            "mood": dict(self.history.mood),
        }
        retagged = {str(t.number): list(t.tags) for t in self.turns if t.extra.get("retagged")}
        if retagged:  # free-text replies: the tags they showed, by turn number
            snap["tags"] = retagged
        misses = {str(t.number): t.extra["misses"] for t in self.turns if t.extra.get("misses")}
        if self._misses:  # not understood since the last reply: before the next turn
            misses[str(len(self.turns) + 1)] = self.pending_misses
        if misses:
            snap["misses"] = misses
        return snap

    def _miss_again(self, misses: object) -> None:
        if not isinstance(misses, list):
            raise NotOffered("a snapshot's misses are not a list")
        for miss in misses:
            mood = miss.get("mood") if isinstance(miss, dict) else None
            if not isinstance(mood, dict) or any(
                k not in self.scenario.persona.mood or not isinstance(v, int)
                for k, v in mood.items()
            ):
                raise NotOffered("a misunderstood reply moves an unknown mood variable")
            self.misunderstood(
                {str(k): int(v) for k, v in mood.items()}, str(miss.get("typed", ""))
            )

    def _replay(self, turns: Sequence[Turn]) -> None:
        for turn in turns:
            if turn.extra.get("misses"):
                self._miss_again(turn.extra["misses"])
            if turn.extra.get("retagged"):
                self.reply(turn.choice, tags=turn.tags, text=turn.extra.get("typed"))
            else:
                self.reply(turn.choice)

    @classmethod
    def restore(cls, plot: CallPlot, snapshot: Mapping[str, Any]) -> Call:
        """Replay a snapshot's replies; the result must match the state it recorded."""
        sc = plot.scenario
        if snapshot.get("format") != SNAPSHOT_FORMAT:
            raise RestoreError(f"unknown snapshot format {snapshot.get('format')!r}")
        if snapshot.get("scenario") != sc.id or snapshot.get("version") != sc.version:
            raise RestoreError(
                f"the snapshot is of {snapshot.get('scenario')} v{snapshot.get('version')}, "
                f"not {sc.id} v{sc.version}"
            )
        seed = snapshot.get("seed")
        replies = snapshot.get("replies")
        if not isinstance(seed, int) or not isinstance(replies, list):
            raise RestoreError("the snapshot lacks a seed or its replies")
        retagged = snapshot.get("tags", {})
        misses = snapshot.get("misses", {})
        if not isinstance(retagged, dict) or not isinstance(misses, dict):
            raise RestoreError("the snapshot's tags or misses are not a mapping by turn")
        call = cls(plot, seed)
        try:
            for number, choice_id in enumerate(replies, start=1):
                if str(number) in misses:
                    call._miss_again(misses[str(number)])
                said = retagged.get(str(number))
                call.reply(str(choice_id), tags=[str(t) for t in said] if said else None)
            if str(len(replies) + 1) in misses:
                call._miss_again(misses[str(len(replies) + 1)])
        except NotOffered as exc:
            call.close()
            raise RestoreError(f"the snapshot does not replay: {exc}") from None
        if call.state != snapshot.get("state") or call.history.mood != snapshot.get("mood"):
            call.close()
            raise RestoreError("the snapshot's state or mood differs from its replay")
        return call

    def branch(self, turn_number: int, choice_id: str) -> Call:
        """A new call that replays this one up to ``turn_number`` and then replies
        ``choice_id`` there instead (rewind and branch, practice mode)."""
        if not 1 <= turn_number <= len(self.turns):
            raise NotOffered(f"there is no turn {turn_number} to branch from")
        twin = Call(self.plot, self.seed)
        twin._replay(self.turns[: turn_number - 1])
        twin.reply(choice_id)
        return twin

    def undo(self) -> Turn:
        """Take back the last reply (practice mode): the call is as it was before it."""
        if not self.turns:
            raise NotOffered("there is no reply to undo")
        kept = self.turns[:-1]
        undone = self.turns[-1]
        self.close()
        self._reset()
        self._replay(kept)
        return undone

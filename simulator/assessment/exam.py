"""One candidate's exam: a pull-based engine a TUI, a test or a script can drive.

Read ``current`` and ``items()``; ``open_section()`` starts its clock; ``answer()`` a
question or a ticket, ``call()`` and ``reply()`` for a telephone task; ``tick()`` closes
the section when its time is up, ``submit_section()`` when the candidate is done. The
engine does no I/O: every change is reported to an ``ExamSink`` (the store's one saves
each answer as it is given), and ``snapshot()`` / ``Exam.restore()`` rebuild an attempt
with the same items, in the same order, with the same time left.

What a screen is given (``Question``, ``CallTask``, ``TicketTask``) holds no correct
option, model answer, key point or explanation: those stay in the bank until the
section is scored.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any, Protocol

from simulator import __version__
from simulator.assessment.draw import Plan, PlannedItem, SectionPlan, draw
from simulator.assessment.model import CALL_KINDS, Bank, Blueprint, Item, Section
from simulator.assessment.scoring import (
    ItemScore,
    Overall,
    SectionScore,
    dec,
    fraction_score,
    overall,
    score_item,
    section_score,
)
from simulator.assessment.ticket import TicketCase, TicketError, clean_form, score_ticket
from simulator.engine.call import Call, CallPlot, NotOffered
from simulator.engine.turn import Turn
from simulator.scenario.model import Lang, Library, Scenario, Text
from simulator.scenario.text import strip_control
from simulator.scoring.debrief import strengths_and_gaps
from simulator.scoring.rubric import Score, score_call

SNAPSHOT_FORMAT = 1
RESULT_FORMAT = "calldrill-exam-result/1"
PENDING, OPEN, CLOSED = "pending", "open", "closed"
MAX_SHORT_ANSWER = 2000


class ExamError(ValueError):
    """Something the exam cannot do now; the message says what and why."""


class NotOpen(ExamError):
    """The item is not in the section that is open now (or no section is open)."""


class TimeUp(ExamError):
    """The section's time ran out; it has been closed and scored."""


class BadAnswer(ExamError):
    """An answer of the wrong shape for its item (an unknown option, text for true/false)."""


class RestoreError(ExamError):
    """A snapshot that does not fit this blueprint, bank or library any more."""


@dataclass(frozen=True, slots=True)
class ShownOption:
    id: str
    text: Text


@dataclass(frozen=True, slots=True)
class Question:
    """A theory item as shown: no correct option, key point or explanation."""

    key: str
    number: int
    kind: str  # single | multiple | true-false | short
    topic: str
    tier: str
    points: int
    text: Text
    options: tuple[ShownOption, ...] = ()


@dataclass(frozen=True, slots=True)
class CallTask:
    key: str
    number: int
    scenario_id: str
    title: Text
    tier: str
    points: int


@dataclass(frozen=True, slots=True)
class TicketTask:
    key: str
    number: int
    scenario_id: str
    title: Text
    call_key: str  # the call this ticket is about (``exam.played(call_key)``)
    points: int
    facts: Mapping[str, Text]  # the case file shown beside the form


ExamItem = Question | CallTask | TicketTask


class ExamSink(Protocol):
    """Where an exam reports what happens, to be saved (simulator/store/exams.py)."""

    def answered(self, section: str, key: str, value: Any, elapsed_ms: int) -> None: ...

    def progressed(self, current: int, sections: dict[str, dict[str, Any]]) -> None: ...

    def completed(self, result: dict[str, Any]) -> None: ...


class NullSink:
    def answered(self, section: str, key: str, value: Any, elapsed_ms: int) -> None:
        return None

    def progressed(self, current: int, sections: dict[str, dict[str, Any]]) -> None:
        return None

    def completed(self, result: dict[str, Any]) -> None:
        return None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Exam:
    def __init__(
        self,
        plan: Plan,
        blueprint: Blueprint,
        bank: Bank,
        library: Library,
        *,
        lang: Lang = "zh",
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
        sink: ExamSink | None = None,
        started_at: datetime | None = None,
    ) -> None:
        if plan.blueprint_digest != blueprint.digest or plan.blueprint_id != blueprint.id:
            raise RestoreError("the exam was drawn from another version of the blueprint")
        if plan.bank_digest != bank.digest:
            raise RestoreError("the exam was drawn from another version of the question bank")
        self.plan = plan
        self.blueprint = blueprint
        self.bank = bank
        self.library = library
        self.lang: Lang = lang
        self._clock = clock
        self._now = now or (lambda: datetime.now(UTC))
        self.sink: ExamSink = sink or NullSink()
        self.attempt_uid: str | None = None  # the store's id of this attempt, if stored
        self.started_at = started_at or self._now()
        self.finished_at: datetime | None = None
        self.index = 0
        self._status = {sp.id: PENDING for sp in plan.sections}
        self._elapsed = {sp.id: 0 for sp in plan.sections}
        self._timed_out = {sp.id: False for sp in plan.sections}
        self._since: float | None = None
        self._answers: dict[str, Any] = {}
        self._calls: dict[str, Call] = {}
        self._plots: dict[str, CallPlot] = {}
        self._scores: dict[str, SectionScore] = {}
        self._items = {it.key: it for sp in plan.sections for it in sp.items}

    @classmethod
    def new(
        cls,
        blueprint: Blueprint,
        bank: Bank,
        library: Library,
        candidate: str,
        seed: str,
        **kwargs: Any,
    ) -> Exam:
        plan = draw(blueprint, bank, library.scenarios, candidate, seed)
        return cls(plan, blueprint, bank, library, **kwargs)

    # Reading.

    @property
    def candidate(self) -> str:
        return self.plan.candidate

    @property
    def sections(self) -> tuple[SectionPlan, ...]:
        return self.plan.sections

    @property
    def current(self) -> SectionPlan | None:
        """The section to take now (pending or open); None when the exam is over."""
        return self.plan.sections[self.index] if self.index < len(self.plan.sections) else None

    @property
    def finished(self) -> bool:
        return self.index >= len(self.plan.sections)

    def status(self, section_id: str) -> str:
        return self._status[section_id]

    def elapsed_ms(self, section_id: str | None = None) -> int:
        sid = section_id or (self.current.id if self.current else None)
        if sid is None:
            return 0
        base = self._elapsed[sid]
        if self._status[sid] == OPEN and self._since is not None:
            base += int((self._clock() - self._since) * 1000)
        return base

    def remaining_s(self) -> float | None:
        """Seconds left in the current section; None before it opens or after the end."""
        sp = self.current
        if sp is None or self._status[sp.id] != OPEN:
            return None
        return max(0.0, sp.section.time_limit_s - self.elapsed_ms(sp.id) / 1000)

    def items(self, section_id: str | None = None) -> list[ExamItem]:
        """What the current section (or the one named) asks, in the order to show it."""
        sp = self.current if section_id is None else self._section_plan(section_id)
        return [] if sp is None else [self._view(sp, it, n) for n, it in enumerate(sp.items, 1)]

    def answer_of(self, key: str) -> Any:
        """The candidate's own answer so far (what a screen shows as selected or typed)."""
        value = self._answers.get(key)
        return list(value) if isinstance(value, list) else value

    def answered(self, section_id: str | None = None) -> int:
        sp = self.current if section_id is None else self._section_plan(section_id)
        if sp is None:
            return 0
        done = 0
        for it in sp.items:
            if it.key in self._calls:
                done += self._calls[it.key].finished
            elif self._answers.get(it.key) not in (None, "", []):
                done += 1
        return done

    def played(self, call_key: str) -> Call | None:
        """The call played for a telephone task (for a ticket's transcript), if any."""
        return self._calls.get(call_key)

    def ticket_case(self, key: str) -> TicketCase:
        it = self._items[key]
        if it.call is None:
            raise NotOpen(f"'{key}' is not a ticket task")
        call = self._calls.get(it.call)
        return TicketCase.of(self._scenario(it.ref), call.outcome if call else None)

    def score(self, section_id: str) -> SectionScore | None:
        """The score of a closed section (None while it is pending or open)."""
        return self._scores.get(section_id)

    # Acting.

    def open_section(self) -> SectionPlan:
        sp = self.current
        if sp is None:
            raise NotOpen("the exam is over")
        if self._status[sp.id] == PENDING:
            self._status[sp.id] = OPEN
            self._since = self._clock()
            self._progressed()
        return sp

    def tick(self) -> bool:
        """Close the current section if its time is up; True when this call closed it."""
        sp = self.current
        if sp is None or self._status[sp.id] != OPEN:
            return False
        if self.elapsed_ms(sp.id) < sp.section.time_limit_s * 1000:
            return False
        self._close(sp, timed_out=True)
        return True

    def heartbeat(self) -> None:
        """Report the time spent so far (the TUI calls this every second or so)."""
        self._progressed()

    def submit_section(self) -> SectionScore:
        """The candidate is done with the current section: it is closed and scored."""
        sp = self.current
        if sp is None or self._status[sp.id] != OPEN:
            raise NotOpen("no section is open")
        if self.tick():
            return self._scores[sp.id]
        return self._close(sp, timed_out=False)

    def answer(self, key: str, value: Any) -> None:
        """Answer (or, with None, clear) a question or a ticket of the open section."""
        sp, it = self._open_item(key)
        section = sp.section
        if section.kind in CALL_KINDS:
            raise BadAnswer(f"'{key}' is a call: answer it with reply()")
        if section.kind == "ticket":
            stored: Any = None
            if value is not None:
                if not isinstance(value, Mapping):
                    raise BadAnswer(f"'{key}' is a ticket: answer with a mapping of its fields")
                try:
                    stored = clean_form(value)
                except TicketError as exc:
                    raise BadAnswer(str(exc)) from None
        else:
            stored = None if value is None else self._check(self.bank.items[it.ref], key, value)
        if stored is None:
            self._answers.pop(key, None)
        else:
            self._answers[key] = stored
        self.sink.answered(sp.id, key, stored, self.elapsed_ms(sp.id))

    def call(self, key: str) -> Call:
        """The call of a telephone task, started the first time it is asked for."""
        _, it = self._open_item(key, kinds=CALL_KINDS)
        call = self._calls.get(key)
        if call is None:
            assert it.seed is not None
            call = self._plot(it.ref).new_call(it.seed)
            self._calls[key] = call
        return call

    def reply(self, key: str, choice_id: str) -> Turn:
        call = self.call(key)
        try:
            turn = call.reply(choice_id)
        except NotOffered as exc:
            raise BadAnswer(str(exc)) from None
        self._reply_saved(key, call)
        return turn

    def reply_number(self, key: str, number: int) -> Turn:
        call = self.call(key)
        try:
            turn = call.reply_number(number)
        except NotOffered as exc:
            raise BadAnswer(str(exc)) from None
        self._reply_saved(key, call)
        return turn

    # Results.

    def overall(self) -> Overall:
        if not self.finished:
            raise NotOpen("the exam is not over yet")
        return overall(self.blueprint, self._scores)

    def result(self, *, attempt: str | None = None) -> dict[str, Any]:
        """The result as the plain data that gets signed (docs/assessment.md)."""
        verdict = self.overall()
        sections = [self._section_result(sp) for sp in self.plan.sections]
        earned = sum((self._scores[sp.id].earned for sp in self.plan.sections), Fraction(0))
        top = sum(self._scores[sp.id].max for sp in self.plan.sections)
        bp = self.blueprint
        rule = bp.passing
        return {
            "format": RESULT_FORMAT,
            "calldrill_version": __version__,
            "attempt": attempt or self.attempt_uid,
            "candidate": self.plan.candidate,
            "seed": self.plan.seed,
            "lang": self.lang,
            "blueprint": {
                "id": bp.id,
                "version": bp.version,
                "sha256": bp.digest,
                "title": bp.title.as_dict(),
            },
            "bank_sha256": self.bank.digest,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at or self._now()),
            "sections": sections,
            "total": {
                "earned": dec(earned),
                "max": top,
                "percent": dec(earned / top * 100 if top else Fraction(0)),
            },
            "pass_rule": {
                "rule": rule.rule,
                "weights": dict(rule.weights),
                "percent": rule.percent,
                "require": list(rule.require),
                "share_percent": dec(verdict.share * 100),
            },
            "passed": verdict.passed,
            "failed_because": list(verdict.reasons),
            "topics": self._topics(),
            "skills": self._skills(),
        }

    # Saving and restoring.

    def snapshot(self) -> dict[str, Any]:
        return {
            "format": SNAPSHOT_FORMAT,
            "plan": self.plan.as_dict(),
            "lang": self.lang,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at) if self.finished_at else None,
            "current": self.index,
            "sections": self._section_states(),
            "answers": self._answer_values(),
        }

    @classmethod
    def restore(
        cls,
        snapshot: Mapping[str, Any],
        blueprint: Blueprint,
        bank: Bank,
        library: Library,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
        sink: ExamSink | None = None,
    ) -> Exam:
        """The exam as the snapshot left it; an open section's clock runs on from the
        time it had used. Refuses a snapshot of another blueprint, bank or library."""
        if snapshot.get("format") != SNAPSHOT_FORMAT:
            raise RestoreError(f"unknown exam snapshot format {snapshot.get('format')!r}")
        try:
            plan = plan_from_dict(snapshot["plan"], blueprint, bank, library)
            started = _parse_iso(str(snapshot["started_at"]))
            lang = snapshot.get("lang", "zh")
            exam = cls(
                plan,
                blueprint,
                bank,
                library,
                lang="en" if lang == "en" else "zh",
                clock=clock,
                now=now,
                sink=NullSink(),
                started_at=started,
            )
            states: Mapping[str, Any] = snapshot["sections"]
            answers: Mapping[str, Any] = snapshot["answers"]
            current = int(snapshot["current"])
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, RestoreError):
                raise
            raise RestoreError(f"the exam snapshot is damaged ({exc!r})") from None
        for key, value in answers.items():
            it = exam._items.get(key)
            if it is None:
                raise RestoreError(f"the snapshot answers '{key}', which is not in the exam")
            section = exam._section_plan(it.section).section
            if section.kind in CALL_KINDS:
                call = exam._plot(it.ref).new_call(it.seed or 0)
                try:
                    for choice in value["replies"]:
                        call.reply(str(choice))
                except (NotOffered, KeyError, TypeError) as exc:
                    call.close()
                    raise RestoreError(f"the call of '{key}' does not replay: {exc}") from None
                exam._calls[key] = call
            elif value is not None:
                exam._answers[key] = value
        exam.index = max(0, min(current, len(plan.sections)))
        for n, sp in enumerate(plan.sections):
            state = states.get(sp.id, {})
            status = state.get("status", PENDING)
            if n < exam.index:
                status = CLOSED
            elif n > exam.index or status not in (PENDING, OPEN):
                status = PENDING
            exam._status[sp.id] = status
            exam._elapsed[sp.id] = int(state.get("elapsed_ms", 0))
            exam._timed_out[sp.id] = bool(state.get("timed_out", False))
            if status == CLOSED:
                exam._scores[sp.id] = exam._score_section(sp)
        if exam.current is not None and exam._status[exam.current.id] == OPEN:
            exam._since = clock()
        if snapshot.get("finished_at"):
            exam.finished_at = _parse_iso(str(snapshot["finished_at"]))
        exam.sink = sink or NullSink()
        return exam

    # Inside.

    def _section_plan(self, section_id: str) -> SectionPlan:
        return next(sp for sp in self.plan.sections if sp.id == section_id)

    def _scenario(self, scenario_id: str) -> Scenario:
        return self.library.scenarios[scenario_id]

    def _plot(self, scenario_id: str) -> CallPlot:
        plot = self._plots.get(scenario_id)
        if plot is None:
            lib = self.library
            plot = CallPlot(lib.scenarios[scenario_id], lib.tags, lib.rubric)
            self._plots[scenario_id] = plot
        return plot

    def _view(self, sp: SectionPlan, it: PlannedItem, number: int) -> ExamItem:
        section = sp.section
        if section.kind == "theory":
            item = self.bank.items[it.ref]
            by_id = {o.id: o for o in item.options}
            return Question(
                key=it.key,
                number=number,
                kind=item.kind,
                topic=item.topic,
                tier=item.tier,
                points=section.points if section.points is not None else item.points,
                text=item.question,
                options=tuple(ShownOption(o, by_id[o].text) for o in it.options),
            )
        sc = self._scenario(it.ref)
        assert section.points is not None
        if section.kind == "ticket":
            assert it.call is not None
            return TicketTask(it.key, number, sc.id, sc.title, it.call, section.points, sc.customer)
        return CallTask(it.key, number, sc.id, sc.title, it.tier, section.points)

    def _open_item(
        self, key: str, kinds: Sequence[str] | None = None
    ) -> tuple[SectionPlan, PlannedItem]:
        it = self._items.get(key)
        if it is None:
            raise NotOpen(f"'{key}' is not an item of this exam")
        sp = self.current
        if sp is None or sp.id != it.section:
            raise NotOpen(
                f"'{key}' belongs to section '{it.section}', which is not the current one"
            )
        if self._status[sp.id] != OPEN:
            raise NotOpen(f"section '{sp.id}' is not open")
        if self.tick():
            raise TimeUp(f"the time for section '{sp.id}' is up")
        if kinds is not None and sp.section.kind not in kinds:
            raise NotOpen(f"'{key}' is not a call")
        return sp, it

    def _check(self, item: Item, key: str, value: Any) -> Any:
        ids = [o.id for o in item.options]
        if item.kind == "single":
            if not isinstance(value, str) or value not in ids:
                raise BadAnswer(f"'{key}': answer with one of the options {', '.join(ids)}")
            return value
        if item.kind == "multiple":
            if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
                raise BadAnswer(f"'{key}': answer with a list of options from {', '.join(ids)}")
            chosen = sorted(set(value))
            if any(not isinstance(v, str) or v not in ids for v in chosen):
                raise BadAnswer(f"'{key}': the options are {', '.join(ids)}")
            return chosen
        if item.kind == "true-false":
            if not isinstance(value, bool):
                raise BadAnswer(f"'{key}': answer true or false")
            return value
        if not isinstance(value, str):
            raise BadAnswer(f"'{key}': answer with text")
        text = strip_control(value).strip()
        if len(text) > MAX_SHORT_ANSWER:
            raise BadAnswer(f"'{key}': keep the answer under {MAX_SHORT_ANSWER} characters")
        return text

    def _reply_saved(self, key: str, call: Call) -> None:
        it = self._items[key]
        value = {"replies": [t.choice for t in call.turns]}
        self.sink.answered(it.section, key, value, self.elapsed_ms(it.section))

    def _close(self, sp: SectionPlan, *, timed_out: bool) -> SectionScore:
        self._elapsed[sp.id] = min(self.elapsed_ms(sp.id), sp.section.time_limit_s * 1000)
        self._since = None
        self._status[sp.id] = CLOSED
        self._timed_out[sp.id] = timed_out
        for it in sp.items:
            call = self._calls.get(it.key)
            if call is not None:
                call.close()
        score = self._score_section(sp)
        self._scores[sp.id] = score
        self.index += 1
        if self.finished:
            self.finished_at = self._now()
        self._progressed()
        if self.finished:
            self.sink.completed(self.result())
        return score

    def _score_section(self, sp: SectionPlan) -> SectionScore:
        section = sp.section
        scores = [self._score_item(section, it) for it in sp.items]
        return section_score(
            section,
            scores,
            elapsed_ms=self._elapsed[sp.id],
            timed_out=self._timed_out[sp.id],
        )

    def _score_item(self, section: Section, it: PlannedItem) -> ItemScore:
        if section.kind == "theory":
            return score_item(it.key, self.bank.items[it.ref], self._answers.get(it.key), section)
        assert section.points is not None
        if section.kind == "ticket":
            case = self.ticket_case(it.key)
            form = self._answers.get(it.key) or {}
            ticket = score_ticket(case, form, "en")
            return fraction_score(
                it.key,
                ticket.share,
                section.points,
                criteria={f.criterion: f.ok for f in ticket.findings},
                priority_expected=case.priority,
            )
        call = self._calls.get(it.key)
        if call is None or not call.turns:
            return fraction_score(it.key, Fraction(0), section.points, outcome=None)
        score = score_call(call)
        share = _call_share(score, section)
        return fraction_score(
            it.key,
            share,
            section.points,
            outcome=score.outcome,
            finished=score.finished,
            call_total=f"{score.total:.1f}",
        )

    def _section_states(self) -> dict[str, dict[str, Any]]:
        return {
            sp.id: {
                "status": self._status[sp.id],
                "elapsed_ms": self.elapsed_ms(sp.id),
                "timed_out": self._timed_out[sp.id],
            }
            for sp in self.plan.sections
        }

    def _answer_values(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self._answers)
        for key, call in self._calls.items():
            out[key] = {"replies": [t.choice for t in call.turns]}
        return dict(sorted(out.items()))

    def _progressed(self) -> None:
        self.sink.progressed(self.index, self._section_states())

    def _section_result(self, sp: SectionPlan) -> dict[str, Any]:
        s = self._scores[sp.id]
        section = sp.section
        items = []
        for it, sc in zip(sp.items, s.items, strict=True):
            entry: dict[str, Any] = {
                "key": it.key,
                "ref": it.ref,
                "tier": it.tier,
                "earned": dec(sc.earned),
                "max": sc.max,
            }
            if section.kind == "theory":
                item = self.bank.items[it.ref]
                entry.update(kind=item.kind, topic=item.topic, options=list(it.options))
                entry["answer"] = self._answers.get(it.key)
                if item.kind == "short":
                    entry["covered"] = list(sc.covered)
            elif section.kind == "ticket":
                entry["call"] = it.call
                entry["answer"] = self._answers.get(it.key)
                entry.update(sc.detail)
            else:
                call = self._calls.get(it.key)
                sc_obj = self._scenario(it.ref)
                entry.update(
                    scenario_version=sc_obj.version,
                    seed=it.seed,
                    replies=[t.choice for t in call.turns] if call else [],
                    **sc.detail,
                )
                if call is not None and call.turns:
                    sg = strengths_and_gaps(call, (), self.lang)
                    entry["strengths"] = [x["tag"] for x in sg["strengths"]]
                    entry["gaps"] = [x["tag"] for x in sg["practise"]]
                    entry["dimensions"] = {
                        d: f"{v:.1f}" for d, v in score_call(call).dimensions.items()
                    }
            items.append(entry)
        return {
            "id": section.id,
            "kind": section.kind,
            "title": section.title.as_dict(),
            "earned": dec(s.earned),
            "max": s.max,
            "percent": dec(s.share * 100),
            "passed": s.passed,
            "pass_percent": section.passing.percent,
            "each_percent": section.passing.each_percent,
            "time_limit_s": section.time_limit_s,
            "elapsed_s": s.elapsed_ms // 1000,
            "timed_out": s.timed_out,
            "items": items,
        }

    def _topics(self) -> dict[str, dict[str, str | int]]:
        earned: dict[str, Fraction] = {}
        top: Counter[str] = Counter()
        for sp in self.plan.sections:
            if sp.section.kind != "theory":
                continue
            for it, sc in zip(sp.items, self._scores[sp.id].items, strict=True):
                topic = self.bank.items[it.ref].topic
                earned[topic] = earned.get(topic, Fraction(0)) + sc.earned
                top[topic] += sc.max
        return {
            t: {"earned": dec(earned[t]), "max": top[t], "percent": dec(earned[t] / top[t] * 100)}
            for t in sorted(top)
        }

    def _skills(self) -> dict[str, list[str]]:
        gained: Counter[str] = Counter()
        lost: Counter[str] = Counter()
        for call in self._calls.values():
            if not call.turns:
                continue
            sg = strengths_and_gaps(call, (), self.lang)
            gained.update(x["tag"] for x in sg["strengths"])
            lost.update(x["tag"] for x in sg["practise"])
        return {
            "strengths": [t for t, _ in sorted(gained.items(), key=lambda kv: (-kv[1], kv[0]))],
            "gaps": [t for t, _ in sorted(lost.items(), key=lambda kv: (-kv[1], kv[0]))],
        }


def _call_share(score: Score, section: Section) -> Fraction:
    """A call's share of its points: the call's total out of 100 (or the dimensions the
    section names, out of 25 each); caps still apply, and a call the clock cut off
    scores at most ``unfinished_cap`` percent."""
    if section.dimensions:
        dims = sum((Fraction(str(score.dimensions[d])) for d in section.dimensions), Fraction(0))
        share = dims / (25 * len(section.dimensions))
        if score.caps:
            share = min(share, Fraction(str(score.total)) / 100)
    else:
        share = Fraction(str(score.total)) / 100
    if not score.finished:
        share = min(share, Fraction(section.unfinished_cap, 100))
    return share


def plan_from_dict(
    data: Mapping[str, Any], blueprint: Blueprint, bank: Bank, library: Library
) -> Plan:
    """A stored plan, checked against what is loaded now."""
    bp = data["blueprint"]
    if bp["id"] != blueprint.id or bp["sha256"] != blueprint.digest:
        raise RestoreError(
            f"the attempt was drawn from blueprint {bp['id']} ({bp['sha256'][:12]}…); "
            f"the one given is {blueprint.id} ({blueprint.digest[:12]}…)"
        )
    if data["bank_sha256"] != bank.digest:
        raise RestoreError("the question bank changed since the attempt was drawn")
    stored = data["sections"]
    if [s["id"] for s in stored] != [s.id for s in blueprint.sections]:
        raise RestoreError("the attempt's sections are not the blueprint's")
    sections: list[SectionPlan] = []
    for section, sdata in zip(blueprint.sections, stored, strict=True):
        items: list[PlannedItem] = []
        for d in sdata["items"]:
            ref = str(d["ref"])
            if section.kind == "theory" and ref not in bank.items:
                raise RestoreError(f"item '{ref}' is no longer in the bank")
            if section.kind != "theory" and ref not in library.scenarios:
                raise RestoreError(f"scenario '{ref}' is no longer in the library")
            version = d.get("version")
            if section.kind in CALL_KINDS and version != library.scenarios[ref].version:
                raise RestoreError(
                    f"scenario '{ref}' was v{version} when the exam was drawn; "
                    f"the library now has v{library.scenarios[ref].version}"
                )
            items.append(
                PlannedItem(
                    key=str(d["key"]),
                    section=section.id,
                    ref=ref,
                    tier=str(d["tier"]),
                    options=tuple(str(o) for o in d.get("options", ())),
                    seed=d.get("seed"),
                    call=d.get("call"),
                    version=version,
                )
            )
        sections.append(SectionPlan(section, tuple(items)))
    return Plan(
        str(data["candidate"]),
        str(data["seed"]),
        blueprint.id,
        blueprint.digest,
        bank.digest,
        tuple(sections),
    )

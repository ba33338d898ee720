"""The call: transcript, the customer's mood, a timer, and the replies on offer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static

from simulator.engine import Call, CallPlot, NotOffered
from simulator.engine.transcript import because
from simulator.engine.turn import Turn
from simulator.scenario.model import DIMENSIONS, Scenario, Text
from simulator.scenario.text import strip_control
from simulator.scoring.matcher import match_reply
from simulator.scoring.misunderstood import miss_effects
from simulator.scoring.typed_review import typed_review
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.widgets.call_timer import CallTimer
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.mood_meter import MoodMeter
from simulator.tui.widgets.transcript import Transcript, Utterance

if TYPE_CHECKING:
    from simulator.store.recorder import RecordedCall

PRACTICE, EXAM = "practice", "exam"


class CallScreen(CalldrillAccess, Screen[None]):
    BINDINGS = [
        *[
            Binding(str(n), f"choose({n})", f"{n}", show=False, id=f"call.choose-{n}")
            for n in range(1, 10)
        ],
        Binding("h", "hint", "Hint", id="call.hint", tooltip="Name the skill at stake"),
        Binding("u", "undo", "Undo", id="call.undo", tooltip="Take back the last reply"),
        Binding("space", "skip_reveal", "Skip", show=False, id="call.skip"),
        Binding("d", "debrief", "Debrief", id="call.debrief", show=False),
        Binding("escape", "leave", "Leave", id="call.leave", tooltip="Leave the call"),
    ]

    def __init__(
        self,
        scenario: Scenario,
        *,
        mode: str = PRACTICE,
        seed: int = 0,
        call: Call | None = None,
        recorded: RecordedCall | None = None,
        free_text: bool | None = None,
    ) -> None:
        """``free_text``: typed replies (docs/free-text.md); None: as toggled on the
        briefing (``app.free_text``), or on when the call already has a typed reply."""
        super().__init__()
        self.scenario = scenario
        self.mode = mode
        self._free_text = free_text
        if recorded is not None:
            call = recorded.call
        self.seed = call.seed if call is not None else seed
        self._call: Call | None = call
        # Saves every reply as it is answered, when the app has a store and a profile.
        self.recorded = recorded
        self.last_turn: Turn | None = call.turns[-1] if call is not None and call.turns else None

    @property
    def call(self) -> Call:
        if self._call is None:
            app = self.calldrill
            lib = app.library
            self._call = CallPlot(self.scenario, lib.tags, lib.rubric).new_call(self.seed)
            if app.store is not None and app.trainee is not None:
                self._start_recording(self._call)
        return self._call

    def _start_recording(self, call: Call) -> None:
        from simulator.store.errors import StoreError  # noqa: PLC0415
        from simulator.store.recorder import RecordedCall  # noqa: PLC0415

        app = self.calldrill
        assert app.store is not None and app.trainee is not None
        try:
            self.recorded = RecordedCall.start(
                app.store,
                app.trainee.id,
                call,
                mode=self.mode,
                lang=app.lang,
                library=app.library.scenarios.values(),
            )
        except StoreError as exc:
            app.store_failed(str(exc))

    def _saving(self, action: Callable[[], Turn]) -> Turn:
        """A reply or an undo through the recorder. If the store fails, say so once and
        go on unsaved: a reply already happened (its turn is returned); an undo did not,
        so it is done on the call itself."""
        from simulator.store.errors import StoreError  # noqa: PLC0415

        before = len(self.call.turns)
        try:
            return action()
        except StoreError as exc:
            self.recorded = None
            self.calldrill.store_failed(str(exc))
            if len(self.call.turns) > before:
                return self.call.turns[-1]
            return self.call.undo()

    @property
    def practice(self) -> bool:
        return self.mode == PRACTICE

    @property
    def free_text(self) -> bool:
        if self._free_text is None:
            typed = any("typed" in t.extra for t in self.call.turns)
            self._free_text = typed or self.calldrill.free_text
        return self._free_text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Hints and undo exist in practice only; the footer hides what is not allowed.
        if action in ("hint", "undo") and not self.practice:
            return False
        if action == "choose" and self.free_text:
            return False  # typed replies only: the list is not offered
        if action == "debrief":
            return self.call.finished
        return True

    def compose(self) -> ComposeResult:
        app = self.calldrill
        yield Header()
        with Horizontal(id="call-main"):
            yield Transcript(id="call-transcript")
            with Vertical(id="call-side"):
                already = self.recorded.elapsed_ms / 1000 if self.recorded else 0.0
                yield CallTimer(app.tr("timer"), frozen=app.still, offset=already, id="call-timer")
                mode = app.tr("mode_practice" if self.practice else "mode_exam")
                if self.free_text:
                    mode += f" · {app.tr('free_text_mode')}"
                yield Static(plain(f"{mode} · {app.tr('seed_label', n=self.seed)}"), id="call-mode")
                yield MoodMeter(self.scenario.persona, app.lang, id="call-mood")
                if self.practice:
                    yield Static("", id="call-hint")
        feedback = Static("", id="call-feedback")
        if self.free_text:  # room for what it was understood as and the rules that fired
            feedback.styles.max_height = 10
        yield feedback
        yield ChoiceList(id="call-choices")
        if self.free_text:
            yield Input(placeholder=app.tr("type_reply"), id="call-typed", max_length=1000)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.scenario.title.get(self.calldrill.lang)
        self._rebuild(reveal=True)
        # The elapsed time is kept, so a resumed exam keeps its time budget.
        self.set_interval(5.0, self._heartbeat)

    def _heartbeat(self) -> None:
        if self.recorded is not None and not self.call.finished:
            from simulator.store.errors import StoreError  # noqa: PLC0415

            # A failed heartbeat costs a few seconds of timer; the next reply reports it.
            with contextlib.suppress(StoreError):
                self.recorded.heartbeat()

    async def relabel(self) -> None:
        await self.recompose()
        self.sub_title = self.scenario.title.get(self.calldrill.lang)
        self._rebuild(reveal=False)
        if self.last_turn is not None and self.practice:
            self._show_feedback(self.last_turn)

    # Drawing from the call's state, so undo and language changes redraw exactly.

    def _rebuild(self, *, reveal: bool) -> None:
        app = self.calldrill
        lang = app.lang
        call = self.call
        transcript = self.query_one(Transcript)
        transcript.clear()
        sc = self.scenario
        lines = [sc.states[sc.start].lines[call.opening_variant]]
        for turn in call.turns:
            for line in lines:
                transcript.say(app.tr("customer_says"), line.get(lang), who="customer")
            self._say_misses(turn.extra.get("misses", ()))
            typed = turn.extra.get("typed")
            choice = sc.states[turn.state].choice(turn.choice)
            said = typed if isinstance(typed, str) else choice.text.get(lang)
            transcript.say(app.tr("you_say"), said, who="agent")
            lines = self._lines_after(turn)
        cps = app.reveal_cps if reveal else 0.0
        for line in call.customer_lines:
            transcript.say(app.tr("customer_says"), line.get(lang), who="customer", reveal_cps=cps)
        self._say_misses(call.pending_misses)

    def _say_misses(self, misses: Iterable[dict[str, Any]]) -> None:
        """Typed replies the customer did not understand, and their asking back."""
        app = self.calldrill
        transcript = self.query_one(Transcript)
        for miss in misses:
            if miss.get("typed"):  # a miss resumed from the store has lost its words
                transcript.say(app.tr("you_say"), str(miss["typed"]), who="agent")
            transcript.say(app.tr("customer_says"), app.tr("misunderstood_line"), who="customer")
        self._show_mood(self.last_turn)
        self._show_choices()

    def _lines_after(self, turn: Turn) -> list[Text]:
        sc = self.scenario
        out: list[Text] = []
        if turn.interjection:
            inter = next(i for i in sc.persona.interjections if i.id == turn.interjection)
            out.append(inter.lines[turn.interjection_variant])
        node = sc.states.get(turn.next) or sc.endings[turn.next]
        out.append(node.lines[turn.line_variant])
        return out

    def _show_choices(self) -> None:
        choices = self.query_one(ChoiceList)
        typed = self.query_one("#call-typed", Input) if self.free_text else None
        if typed is not None:
            typed.display = not self.call.finished
        if self.call.finished:
            choices.clear_options()
            choices.display = False
            self.query_one("#call-timer", CallTimer).stop()
            feedback = self.query_one("#call-feedback", Static)
            feedback.update(styled(self.calldrill.tr("call_over"), "bold"))
            feedback.add_class("shown")
            self.refresh_bindings()
            return
        if typed is not None:
            # Free text: the list is never offered (in practice, the feedback names the
            # replies on offer after a miss); the reply is typed.
            choices.clear_options()
            choices.display = False
            typed.focus()
            return
        choices.display = True
        choices.show_choices(self.call.choices, self.calldrill.lang)
        choices.focus()

    def _show_mood(self, turn: Turn | None) -> None:
        call = self.call
        lang = self.calldrill.lang
        meter = self.query_one(MoodMeter)
        changes = []
        if turn is not None and self.practice:
            changes = [(c, because(call, c, lang)) for c in turn.changes]
        meter.show(call.mood, changes)

    def _show_feedback(self, turn: Turn) -> None:
        app = self.calldrill
        lang = app.lang
        state = self.scenario.states[turn.state]
        choice = state.choice(turn.choice)
        pts = " ".join(f"{app.tr(d)} {turn.points[d]:+d}" for d in DIMENSIONS if turn.points[d])
        parts = [
            styled(app.tr("points_line", pts=pts or "0") + "\n", "bold"),
        ]
        review = typed_review(self.call, turn, lang)
        if review is not None:
            parts += self._typed_feedback(review)
        parts.append(plain(choice.feedback.get(lang)))
        if review is not None:
            parts += [
                styled(f"\n{app.tr('better_phrasing')}: ", "bold $warning"),
                plain(review["better"]["text"]),
            ]
        elif turn.best != turn.choice:
            best = state.choice(turn.best)
            parts += [
                styled(f"\n{app.tr('best_reply')}: ", "bold $warning"),
                plain(best.text.get(lang)),
            ]
        feedback = self.query_one("#call-feedback", Static)
        feedback.update(join(*parts))
        feedback.add_class("shown")

    def _typed_feedback(self, review: dict[str, Any]) -> list[Any]:
        """What a typed reply was understood as, how close it was, and the rules that
        changed its tags (with the words that fired them)."""
        app = self.calldrill
        parts: list[Any] = [
            styled(f"{app.tr('understood_as')}: ", "bold"),
            plain(review["understood_as"]["text"]),
            plain(f" ({app.tr('similarity')} {review['similarity']:.0f})\n"),
        ]
        if review["rules"]:
            sep = "；" if app.lang == "zh" else "; "
            fired = sep.join(
                f"{app.tr('rule_' + r['change'])} {r['name']}"
                + (f" “{r['matched']}”" if r["matched"] else "")
                for r in review["rules"]
            )
            parts += [styled(f"{app.tr('rules_fired')}: ", "bold $accent"), plain(fired + "\n")]
        return parts

    def _show_miss(self, similarity: float, threshold: float, changes: Iterable[Any]) -> None:
        """Practice only: why the customer asked back, and the replies on offer to compare."""
        app = self.calldrill
        lang = app.lang
        labels = {v: var.label.get(lang) for v, var in self.scenario.persona.mood.items()}
        moved = list(changes)
        var, delta = (labels[moved[0].var], moved[0].delta) if moved else ("—", 0)
        note = app.tr(
            "misunderstood_note",
            sim=f"{similarity:.0f}",
            need=f"{threshold:.0f}",
            var=var,
            delta=delta,
        )
        offered = "\n".join(f"· {c.text.get(lang)}" for c in self.call.choices)
        feedback = self.query_one("#call-feedback", Static)
        feedback.update(
            join(
                styled(note + "\n", "bold $warning"),
                styled(app.tr("show_choices_after_miss") + "\n", "italic"),
                plain(offered),
            )
        )
        feedback.add_class("shown")

    # Actions.

    def reply_typed(self, raw: str) -> None:
        """Free text: understand what was typed as one of the replies on offer
        (simulator/scoring/matcher.py) and answer with it, scored as said; below the
        threshold the customer asks back and it costs mood (scoring/misunderstood.py)."""
        call = self.call
        if call.finished:
            return
        app = self.calldrill
        lang = app.lang
        typed = " ".join(strip_control(raw).split())  # pasted text may carry ESC sequences
        field = self.query_one("#call-typed", Input)
        if not typed:
            self.notify(app.tr("typed_empty"), markup=False)
            return
        self.query_one(Transcript).finish_reveal()
        m = match_reply(typed, call.choices, lang, app.library.tags)
        field.value = ""
        if m.choice is None:
            effects = miss_effects(self.scenario.persona)
            changes = call.misunderstood(effects, typed)
            transcript = self.query_one(Transcript)
            transcript.say(app.tr("you_say"), typed, who="agent")
            transcript.say(app.tr("customer_says"), app.tr("misunderstood_line"), who="customer")
            meter = self.query_one(MoodMeter)
            if self.practice:
                meter.show(call.mood, [(c, because(call, c, lang)) for c in changes])
                self._show_miss(m.similarity, m.threshold, changes)
            else:
                meter.show(call.mood, [])
            return
        try:
            turn = self._take_typed(m.choice.id, m.tags, typed)
        except NotOffered:
            self.app.bell()
            return
        self._after_reply(turn, typed)

    def reply(self, number: int) -> None:
        call = self.call
        if call.finished:
            return
        self.query_one(Transcript).finish_reveal()
        try:
            turn = self._take(number)
        except NotOffered:
            self.app.bell()
            return
        choice = self.scenario.states[turn.state].choice(turn.choice)
        self._after_reply(turn, choice.text.get(self.calldrill.lang))

    def _after_reply(self, turn: Turn, said: str) -> None:
        call = self.call
        if call.finished and self.recorded is not None:
            self.calldrill.refresh_best()
        self.last_turn = turn
        app = self.calldrill
        lang = app.lang
        customer = app.tr("customer_says")
        self.query_one(Transcript).say_all(
            [
                Utterance(app.tr("you_say"), said, who="agent"),
                *(
                    Utterance(customer, line.get(lang), who="customer", reveal_cps=app.reveal_cps)
                    for line in call.customer_lines
                ),
            ]
        )
        if self.practice:
            self._show_feedback(turn)
            self.query_one("#call-hint", Static).update("")
        self._show_mood(turn)
        self._show_choices()

    def _take(self, number: int) -> Turn:
        """The reply given: through the recorder when saving (an exam's call screen
        gives it to the exam instead)."""
        recorded = self.recorded
        if recorded is not None:
            return self._saving(lambda: recorded.reply_number(number))
        return self.call.reply_number(number)

    def _take_typed(self, choice_id: str, tags: tuple[str, ...], typed: str) -> Turn:
        """A typed reply understood as ``choice_id``, scored with ``tags``; like ``_take``."""
        recorded = self.recorded
        if recorded is not None:
            return self._saving(lambda: recorded.reply(choice_id, tags=tags, text=typed))
        return self.call.reply(choice_id, tags=tags, text=typed)

    def action_choose(self, number: int) -> None:
        self.reply(number)

    @on(OptionList.OptionSelected, "#call-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if not self.free_text:
            self.reply(event.option_index + 1)

    @on(Input.Submitted, "#call-typed")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.reply_typed(event.value)

    def action_skip_reveal(self) -> None:
        self.query_one(Transcript).finish_reveal()

    def action_hint(self) -> None:
        if not self.practice or self.call.finished:
            return
        app = self.calldrill
        lang = app.lang
        state = self.scenario.states[self.call.state]
        best = self.call.plot.best_choice(state)
        tags = app.library.tags
        good = [tags[k].name.get(lang) for k in best.tags if sum(tags[k].points.values()) > 0]
        sep = "、" if lang == "zh" else ", "
        text = app.tr("hint_text", skills=sep.join(good)) if good else app.tr("hint_none")
        self.query_one("#call-hint", Static).update(
            join(styled(f"{app.tr('hint')}: ", "bold $accent"), plain(text))
        )

    def action_undo(self) -> None:
        if not self.practice:
            return
        app = self.calldrill
        recorded = self.recorded
        try:
            undone = self._saving(recorded.undo) if recorded is not None else self.call.undo()
        except NotOffered:
            self.notify(app.tr("undo_none"), markup=False)
            return
        choice = self.scenario.states[undone.state].choice(undone.choice)
        self.last_turn = self.call.turns[-1] if self.call.turns else None
        feedback = self.query_one("#call-feedback", Static)
        feedback.remove_class("shown")
        self._rebuild(reveal=False)
        self.notify(app.tr("undone", reply=choice.text.get(app.lang)), markup=False)

    def action_leave(self) -> None:
        if self.call.finished:
            self.action_debrief()
            return
        app = self.calldrill

        def answered(leave: bool | None) -> None:
            if leave:
                if self.recorded is not None:
                    from simulator.store.errors import StoreError  # noqa: PLC0415

                    try:
                        self.recorded.abandon()
                    except StoreError as exc:
                        app.store_failed(str(exc))
                self.call.close()
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen(app.tr("leave_confirm"), app.tr("yes"), app.tr("no")), answered
        )

    def action_debrief(self) -> None:
        if self.call.finished:
            self.calldrill.show_debrief(self.call, self.mode)

    def key_enter(self) -> None:
        if self.call.finished:
            self.action_debrief()

    def commands(self) -> Iterable[SystemCommand]:
        app = self.calldrill
        if self.practice:
            yield SystemCommand(app.tr("hint"), "h", self.action_hint)
            yield SystemCommand(app.tr("undo"), "u", self.action_undo)
        yield SystemCommand(app.tr("leave"), "escape", self.action_leave)

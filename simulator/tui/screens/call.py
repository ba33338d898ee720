"""The call: transcript, the customer's mood, a timer, and the replies on offer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from simulator.engine import Call, CallPlot, NotOffered
from simulator.engine.transcript import because
from simulator.engine.turn import Turn
from simulator.scenario.model import DIMENSIONS, Scenario, Text
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.widgets.call_timer import CallTimer
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.mood_meter import MoodMeter
from simulator.tui.widgets.transcript import Transcript

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
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.mode = mode
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Hints and undo exist in practice only; the footer hides what is not allowed.
        if action in ("hint", "undo") and not self.practice:
            return False
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
                yield Static(plain(f"{mode} · {app.tr('seed_label', n=self.seed)}"), id="call-mode")
                yield MoodMeter(self.scenario.persona, app.lang, id="call-mood")
                if self.practice:
                    yield Static("", id="call-hint")
        yield Static("", id="call-feedback")
        yield ChoiceList(id="call-choices")
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
        transcript.remove_children()
        sc = self.scenario
        lines = [sc.states[sc.start].lines[call.opening_variant]]
        for turn in call.turns:
            for line in lines:
                transcript.say(app.tr("customer_says"), line.get(lang), who="customer")
            choice = sc.states[turn.state].choice(turn.choice)
            transcript.say(app.tr("you_say"), choice.text.get(lang), who="agent")
            lines = self._lines_after(turn)
        cps = app.reveal_cps if reveal else 0.0
        for line in call.customer_lines:
            transcript.say(app.tr("customer_says"), line.get(lang), who="customer", reveal_cps=cps)
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
        if self.call.finished:
            choices.clear_options()
            choices.display = False
            self.query_one("#call-timer", CallTimer).stop()
            feedback = self.query_one("#call-feedback", Static)
            feedback.update(styled(self.calldrill.tr("call_over"), "bold"))
            feedback.add_class("shown")
            self.refresh_bindings()
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
            plain(choice.feedback.get(lang)),
        ]
        if turn.best != turn.choice:
            best = state.choice(turn.best)
            parts += [
                styled(f"\n{app.tr('best_reply')}: ", "bold $warning"),
                plain(best.text.get(lang)),
            ]
        feedback = self.query_one("#call-feedback", Static)
        feedback.update(join(*parts))
        feedback.add_class("shown")

    # Actions.

    def reply(self, number: int) -> None:
        call = self.call
        if call.finished:
            return
        self.query_one(Transcript).finish_reveal()
        recorded = self.recorded
        try:
            if recorded is not None:
                turn = self._saving(lambda: recorded.reply_number(number))
            else:
                turn = call.reply_number(number)
        except NotOffered:
            self.app.bell()
            return
        if call.finished and recorded is not None:
            self.calldrill.refresh_best()
        self.last_turn = turn
        app = self.calldrill
        lang = app.lang
        transcript = self.query_one(Transcript)
        choice = self.scenario.states[turn.state].choice(turn.choice)
        transcript.say(app.tr("you_say"), choice.text.get(lang), who="agent")
        for line in call.customer_lines:
            transcript.say(
                app.tr("customer_says"), line.get(lang), who="customer", reveal_cps=app.reveal_cps
            )
        if self.practice:
            self._show_feedback(turn)
            self.query_one("#call-hint", Static).update("")
        self._show_mood(turn)
        self._show_choices()

    def action_choose(self, number: int) -> None:
        self.reply(number)

    @on(OptionList.OptionSelected, "#call-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.reply(event.option_index + 1)

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

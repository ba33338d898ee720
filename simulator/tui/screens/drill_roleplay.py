"""Role-play (drill phase 2): the customer player reads the customer's lines aloud,
with stage cues from the live mood; the observer logs what the agent said by picking
the closest reply. The engine advances and scores as in practice."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, OptionList, Static

from simulator.drill.phases import FEEDBACK
from simulator.drill.role_card import stage_cues
from simulator.drill.session import DrillRun
from simulator.engine import Call, CallPlot, NotOffered
from simulator.engine.turn import Turn
from simulator.scenario.text import strip_control
from simulator.tui.safe import join, plain, styled
from simulator.tui.screens.base import CalldrillAccess
from simulator.tui.screens.drill_flow import banner, countdown_for, leave_drill
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.mood_meter import MoodMeter

if TYPE_CHECKING:
    from simulator.store.recorder import RecordedCall


class DrillRoleplayScreen(CalldrillAccess, Screen[None]):
    DEFAULT_CSS = """
    DrillRoleplayScreen #drill-roleplay-main { height: 1fr; }
    DrillRoleplayScreen #drill-read { width: 2fr; padding: 0 1; }
    DrillRoleplayScreen #drill-side { width: 1fr; padding: 0 1; }
    DrillRoleplayScreen #drill-lines { padding: 1; border: round $accent; }
    DrillRoleplayScreen #drill-cues { color: $warning; margin-top: 1; }
    DrillRoleplayScreen #drill-last { color: $text-muted; margin-top: 1; }
    DrillRoleplayScreen #drill-over { height: auto; }
    """
    BINDINGS = [
        *[
            Binding(str(n), f"choose({n})", f"{n}", show=False, id=f"drill-roleplay.choose-{n}")
            for n in range(1, 10)
        ],
        Binding("escape", "leave", "Leave", id="drill-roleplay.leave"),
    ]

    def __init__(self, run: DrillRun) -> None:
        super().__init__()
        self.run = run
        self.call: Call | None = None
        self.recorded: RecordedCall | None = None
        self.last_turn: Turn | None = None

    def _start_call(self) -> Call:
        app = self.calldrill
        lib = app.library
        sc = lib.scenarios[self.run.scenario_id]
        seed = app.fixed_seed if app.fixed_seed is not None else secrets.randbelow(2**31)
        call = CallPlot(sc, lib.tags, lib.rubric).new_call(seed)
        stored = self.run.stored
        if app.store is not None and stored is not None:
            from simulator.store.errors import StoreError  # noqa: PLC0415
            from simulator.store.recorder import RecordedCall  # noqa: PLC0415

            try:
                self.recorded = RecordedCall.start(
                    app.store,
                    stored.trainee_ids[self.run.seats.agent],
                    call,
                    mode="drill",
                    lang=app.lang,
                    library=lib.scenarios.values(),
                )
            except StoreError as exc:
                app.store_failed(str(exc))
        return call

    def compose(self) -> ComposeResult:
        app = self.calldrill
        if self.call is None:
            self.call = self._start_call()
        seats = self.run.seats
        yield Header()
        yield banner(app, self.run)
        yield countdown_for(app, self.run, id="drill-countdown")
        yield Static(
            plain(
                app.tr(
                    "drill_roleplay_for",
                    customer=seats.customer,
                    observer=seats.observer,
                    agent=seats.agent,
                )
            ),
            id="drill-roleplay-who",
        )
        with Horizontal(id="drill-roleplay-main"):
            with VerticalScroll(id="drill-read"):
                yield Static("", id="drill-lines")
                yield Static("", id="drill-cues")
                yield Static("", id="drill-last")
            with Vertical(id="drill-side"):
                yield MoodMeter(self.call.scenario.persona, app.lang, id="drill-mood")
        yield Static(styled(app.tr("drill_agent_said"), "bold"), id="drill-pick-label")
        yield ChoiceList(id="drill-choices")
        yield Input(placeholder=app.tr("drill_type_said"), id="drill-typed", max_length=500)
        with Horizontal(id="drill-over"):
            yield Static(styled(app.tr("drill_call_over"), "bold"), id="drill-over-text")
            yield Button(
                plain(app.tr("drill_phase_feedback")), id="drill-to-feedback", variant="primary"
            )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.calldrill.tr("drill_phase_roleplay")
        self._show()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    def _show(self) -> None:
        app = self.calldrill
        lang = app.lang
        call = self.call
        assert call is not None
        lines = "\n".join(f"“{line.get(lang)}”" for line in call.customer_lines)
        self.query_one("#drill-lines", Static).update(
            join(styled(f"{app.tr('drill_read_aloud')}\n", "bold $accent"), plain(lines))
        )
        cues = stage_cues(call.scenario.persona, call.mood, lang, self.last_turn)
        self.query_one("#drill-cues", Static).update(
            join(styled(f"{app.tr('drill_cues')}: ", "bold"), plain(" · ".join(cues)))
        )
        if self.last_turn is not None:
            said = call.scenario.states[self.last_turn.state].choice(self.last_turn.choice)
            self.query_one("#drill-last", Static).update(
                plain(f"{app.tr('drill_role_agent')}: {said.text.get(lang)}")
            )
        self.query_one(MoodMeter).show(call.mood, [])
        choices = self.query_one(ChoiceList)
        over = call.finished
        self.query_one("#drill-over").display = over
        choices.display = not over
        self.query_one("#drill-pick-label").display = not over
        self.query_one("#drill-typed").display = not over
        if over:
            self.query_one("#drill-to-feedback", Button).focus()
        else:
            choices.show_choices(call.choices, lang)
            choices.focus()

    def reply(
        self, number: int, *, tags: tuple[str, ...] | None = None, text: str | None = None
    ) -> None:
        """Log the agent's reply: the choice shown as ``number``; ``tags`` and ``text``
        when the observer typed what was said (scored as said, as in free-text play)."""
        call = self.call
        if call is None or call.finished:
            return
        shown = call.choices
        if not 1 <= number <= len(shown):
            self.app.bell()
            return
        choice_id = shown[number - 1].id
        try:
            if self.recorded is not None:
                from simulator.store.errors import StoreError  # noqa: PLC0415

                before = len(call.turns)
                try:
                    turn = self.recorded.reply(choice_id, tags=tags, text=text)
                except StoreError as exc:
                    self.recorded = None
                    self.calldrill.store_failed(str(exc))
                    turn = (
                        call.turns[-1]
                        if len(call.turns) > before
                        else call.reply(choice_id, tags=tags, text=text)
                    )
            else:
                turn = call.reply(choice_id, tags=tags, text=text)
        except NotOffered:
            self.app.bell()
            return
        self.last_turn = turn
        self._show()

    @on(Input.Submitted, "#drill-typed")
    def _typed(self, event: Input.Submitted) -> None:
        call = self.call
        typed = strip_control(event.value).strip()
        if call is None or call.finished or not typed:
            return
        from simulator.scoring.matcher import match_reply  # noqa: PLC0415

        app = self.calldrill
        shown = call.choices
        match = match_reply(typed, shown, app.lang, app.library.tags)
        if match.choice is None:
            self.notify(app.tr("drill_not_understood", sim=f"{match.similarity:g}"), markup=False)
            return
        event.input.value = ""
        number = [c.id for c in shown].index(match.choice.id) + 1
        self.reply(number, tags=match.tags, text=typed)

    def action_choose(self, number: int) -> None:
        self.reply(number)

    @on(OptionList.OptionSelected, "#drill-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.reply(event.option_index + 1)

    @on(Button.Pressed, "#drill-to-feedback")
    def action_feedback(self) -> None:
        if self.call is None or not self.call.finished:
            return
        from simulator.tui.screens.drill_sheet import DrillSheetScreen  # noqa: PLC0415

        self.run.clock.start(FEEDBACK)
        self.app.switch_screen(DrillSheetScreen(self.run, self.call, self.recorded))

    def action_leave(self) -> None:
        leave_drill(self.calldrill, self.run, self.recorded)

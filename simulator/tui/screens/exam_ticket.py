"""The ticket form (工单, domain §12) after a call: customer information, problem type
and priority, description, actions taken, solution / next step, follow-up time.

In an exam the form is saved as it is filled (every second while it changes, and on
leaving) and scored when the section closes. After a practice call it is scored at
once with simulator/assessment/ticket.py and the findings are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Select, Static, TextArea

from simulator.assessment.ticket import (
    PRIORITIES,
    PROBLEM_TYPES,
    TicketCase,
    clean_form,
    field_name,
    priority_name,
    score_ticket,
)
from simulator.i18n import fact_label, t
from simulator.scenario.model import Lang, Text
from simulator.scenario.text import strip_control
from simulator.tui.cells import cell
from simulator.tui.safe import join, plain, styled

LINES = ("name", "contact", "account", "follow_up")
CHOICES = {"problem_type": PROBLEM_TYPES, "priority": PRIORITIES}
AREAS = ("description", "actions", "solution")
ORDER = (
    "name",
    "contact",
    "account",
    "problem_type",
    "priority",
    "description",
    "actions",
    "solution",
    "follow_up",
)
MAX_TYPED = 2000


class TicketFormScreen(Screen[None]):
    DEFAULT_CSS = """
    TicketFormScreen #ticket-main { height: 1fr; }
    TicketFormScreen #ticket-facts { width: 36; padding: 0 1; border-right: solid $primary; }
    TicketFormScreen #ticket-form { padding: 0 2; }
    TicketFormScreen #exam-clock { dock: top; height: 1; padding: 0 2; text-style: bold; }
    TicketFormScreen .ticket-label { margin-top: 1; text-style: bold; }
    TicketFormScreen TextArea { height: 5; }
    TicketFormScreen #ticket-findings { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "done", "Save", id="ticket.done", priority=True),
        Binding("escape", "back", "Back", id="ticket.back", tooltip="Save and go back"),
    ]

    def __init__(
        self,
        *,
        title: str,
        facts: Mapping[str, Text],
        save: Callable[[dict[str, str]], bool],
        initial: Mapping[str, str] | None = None,
        practice_case: TicketCase | None = None,
        clock: Callable[[], str] | None = None,
    ) -> None:
        """``save`` keeps the form (False: it could not); ``practice_case`` scores it at
        once and shows the findings; ``clock`` is the section's time left, in an exam."""
        super().__init__()
        self.task_title = title
        self.facts = facts
        self.save = save
        self.initial = dict(initial or {})
        self.practice_case = practice_case
        self.clock = clock
        self.dirty = False

    @property
    def lang(self) -> Lang:
        return cast(Lang, cast(Any, self.app).lang)

    def tr(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Header()
        if self.clock is not None:
            yield Static("", id="exam-clock")
        with Horizontal(id="ticket-main"):
            with VerticalScroll(id="ticket-facts"):
                yield Static(styled(self.tr("ticket_case_file"), "bold"))
                lines = [styled(self.task_title, "bold"), plain("\n")]
                for key, fact in self.facts.items():
                    lines += [plain(f"{fact_label(lang, key)}: {fact.get(lang)}"), plain("\n")]
                yield Static(join(*lines), id="ticket-facts-text")
            with VerticalScroll(id="ticket-form"):
                yield Static(plain(self.tr("ticket_intro")), id="ticket-intro")
                for name in ORDER:
                    yield Label(plain(field_name(lang, name)), classes="ticket-label")
                    value = self.initial.get(name, "")
                    if name in LINES:
                        placeholder = (
                            self.tr("ticket_follow_up_hint") if name == "follow_up" else ""
                        )
                        yield Input(
                            value,
                            id=f"ticket-{name}",
                            max_length=MAX_TYPED,
                            placeholder=placeholder,
                        )
                    elif name in CHOICES:
                        options = [(cell(self._choice_name(name, v)), v) for v in CHOICES[name]]
                        select: Select[str] = Select(
                            options,
                            id=f"ticket-{name}",
                            prompt=self.tr("ticket_choose"),
                            value=value if value in CHOICES[name] else Select.NULL,
                        )
                        yield select
                    else:
                        yield TextArea(value, id=f"ticket-{name}", soft_wrap=True)
                yield Static("", id="ticket-findings")
        yield Footer()

    def _choice_name(self, name: str, value: str) -> str:
        if name == "priority":
            return priority_name(self.lang, value)
        return self.tr(f"ticket_type_{value}")

    def on_mount(self) -> None:
        self.query_one("#ticket-name", Input).focus()
        if self.clock is not None:
            self.show_clock()
            self.set_interval(1.0, self._autosave)

    def show_clock(self) -> None:
        if self.clock is not None:
            left = self.clock()
            self.query_one("#exam-clock", Static).update(
                plain(self.tr("exam_time_left", left=left))
            )

    def on_input_changed(self) -> None:
        self.dirty = True

    def on_text_area_changed(self) -> None:
        self.dirty = True

    def on_select_changed(self) -> None:
        self.dirty = True

    def form(self) -> dict[str, str]:
        """What is written, with control characters removed."""
        out: dict[str, str] = {}
        for name in ORDER:
            widget = self.query_one(f"#ticket-{name}")
            if isinstance(widget, Input):
                value = widget.value
            elif isinstance(widget, TextArea):
                value = widget.text
            else:
                chosen = cast("Select[str]", widget).value
                value = chosen if isinstance(chosen, str) else ""
            out[name] = strip_control(value).strip()[:MAX_TYPED]
        return clean_form(out)

    def _autosave(self) -> None:
        if self.dirty:
            self.dirty = False
            if not self.save(self.form()):
                self.dirty = True

    def action_done(self) -> None:
        form = self.form()
        if not self.save(form):
            return
        self.dirty = False
        if self.practice_case is None:
            self.dismiss(None)
            return
        score = score_ticket(self.practice_case, form, self.lang)
        parts: list[Any] = [
            styled(self.tr("ticket_score", percent=round(score.share * 100)) + "\n", "bold")
        ]
        for finding in score.findings:
            mark = "✓ " if finding.ok else "✗ "
            parts += [styled(mark, "$success" if finding.ok else "$error"), plain(finding.message)]
            parts.append("\n")
        self.query_one("#ticket-findings", Static).update(join(*parts))

    def action_back(self) -> None:
        if self.dirty:
            self.save(self.form())
        self.dismiss(None)

"""``calldrill play SCENARIO --free-text``: the interactive call with typed replies.

The same rules as the app's free-text mode (docs/free-text.md): each line typed is
understood as one of the replies on offer with ``match_reply`` and scored as said;
below the threshold the customer asks what the agent means, and it costs mood. In
practice mode the lines after each reply say what it was understood as and which rules
fired; in exam mode nothing is explained.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TextIO

from simulator.engine.call import Call
from simulator.engine.transcript import because
from simulator.engine.turn import MoodChange, Turn
from simulator.i18n import t
from simulator.scenario.model import Lang
from simulator.scenario.text import strip_control
from simulator.scoring.matcher import match_reply
from simulator.scoring.misunderstood import miss_effects
from simulator.scoring.typed_review import typed_review


class TypedPlayer(Protocol):
    def reply(self, choice_id: str, *, tags: tuple[str, ...], text: str) -> Turn: ...


class _CallPlayer:
    def __init__(self, call: Call) -> None:
        self.call = call

    def reply(self, choice_id: str, *, tags: tuple[str, ...], text: str) -> Turn:
        return self.call.reply(choice_id, tags=tags, text=text)


def typed_player(call: Call, recorded: object | None) -> TypedPlayer:
    """The recorder when the call is saved (it keeps the typed text), else the call."""
    if recorded is not None:
        return recorded  # type: ignore[return-value]
    return _CallPlayer(call)


def play_free_text(
    call: Call,
    player: TypedPlayer,
    lang: Lang,
    out: TextIO,
    inp: TextIO,
    *,
    practice: bool = True,
    saved: bool = False,
    on_turn: Callable[[Call, Turn], None] | None = None,
) -> bool:
    """Play to the end or until the trainee quits (``q`` or end of input); True when
    the call ended. ``on_turn(call, turn)`` prints a turn's effects."""
    persona = call.scenario.persona
    labels = {v: var.label.get(lang) for v, var in persona.mood.items()}
    while not call.finished:
        for line in call.customer_lines:
            print(f"{t(lang, 'customer')}: {line.get(lang)}", file=out)
        while True:
            print(t(lang, "type_reply_cli"), end="", file=out, flush=True)
            raw = inp.readline()
            if not raw or raw.strip().lower() in ("q", "quit", "exit"):
                print(file=out)
                print(t(lang, "quit"), file=out)
                if saved:
                    print(t(lang, "saved_hint"), file=out)
                return False
            typed = " ".join(strip_control(raw).split())
            if not typed:
                continue
            m = match_reply(typed, call.choices, lang, call.plot.tags)
            if m.choice is not None:
                break
            changes = call.misunderstood(miss_effects(persona), typed)
            print(f"{t(lang, 'customer')}: {t(lang, 'misunderstood_line')}", file=out)
            if practice:
                _print_miss(call, changes, labels, m.similarity, m.threshold, lang, out)
        turn = player.reply(m.choice.id, tags=m.tags, text=typed)
        if practice:
            _print_typed(call, turn, lang, out)
        if on_turn is not None:
            on_turn(call, turn)
        print(file=out)
    return True


def _print_miss(
    call: Call,
    changes: Sequence[MoodChange],
    labels: Mapping[str, str],
    similarity: float,
    threshold: float,
    lang: Lang,
    out: TextIO,
) -> None:
    print(f"    {t(lang, 'similarity')} {similarity:.0f} < {threshold:.0f}", file=out)
    for c in changes:
        print(f"    {labels[c.var]} {c.delta:+d}: {because(call, c, lang)}", file=out)


def _print_typed(call: Call, turn: Turn, lang: Lang, out: TextIO) -> None:
    review = typed_review(call, turn, lang)
    if review is None:
        return
    print(
        f"    {t(lang, 'understood_as')}: {review['understood_as']['text']} "
        f"({t(lang, 'similarity')} {review['similarity']:.0f})",
        file=out,
    )
    for r in review["rules"]:
        words = f" “{r['matched']}”" if r["matched"] else ""
        print(
            f"    {t(lang, 'rules_fired')}: {t(lang, 'rule_' + r['change'])} {r['name']}{words}",
            file=out,
        )
    print(f"    {t(lang, 'better_phrasing')}: {review['better']['text']}", file=out)

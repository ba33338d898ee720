"""A call's transcript as plain data in one language, for output and storage."""

from __future__ import annotations

from typing import Any

from simulator.engine.call import Call
from simulator.engine.turn import MoodChange
from simulator.scenario.model import Lang

# Raised when the saved transcript's shape changes; `calldrill debrief` refuses others.
TRANSCRIPT_VERSION = 1


def transcript_dict(call: Call, lang: Lang) -> dict[str, Any]:
    """Everything said and scored, in the order it happened; JSON-ready, deterministic."""
    sc = call.scenario
    persona = sc.persona
    turns: list[dict[str, Any]] = []
    opening_variant = call.opening_variant
    spoken = [sc.states[sc.start].lines[opening_variant].get(lang)]
    for turn in call.turns:
        state = sc.states[turn.state]
        by_id = {c.id: c for c in state.choices}
        choice = by_id[turn.choice]
        best = by_id[turn.best]
        nxt = sc.states.get(turn.next) or sc.endings[turn.next]
        after: list[str] = []
        if turn.interjection:
            inter = next(i for i in persona.interjections if i.id == turn.interjection)
            after.append(inter.lines[turn.interjection_variant].get(lang))
        after.append(nxt.lines[turn.line_variant].get(lang))
        turns.append(
            {
                "number": turn.number,
                "state": turn.state,
                "phase": turn.phase,
                "concern": turn.concern,
                "customer": spoken,
                "offered": [
                    {"n": i + 1, "id": cid, "text": by_id[cid].text.get(lang)}
                    for i, cid in enumerate(turn.offered)
                ],
                "reply": {"n": turn.shown_as, "id": choice.id, "text": choice.text.get(lang)},
                "tags": list(turn.tags),
                "points": turn.points,
                "best": {"id": best.id, "text": best.text.get(lang)},
                "feedback": choice.feedback.get(lang),
                "mood_before": turn.mood_before,
                "mood_after": turn.mood_after,
                "changes": [
                    {
                        "var": c.var,
                        "delta": c.delta,
                        "cause": c.cause,
                        "because": because(call, c, lang),
                    }
                    for c in turn.changes
                ],
                "forced_event": turn.forced_event,
                "next": turn.next,
                # Free-text mode: what was typed (None: picked from the list), the choice's
                # own tags to compare with "tags", and the replies not understood before it.
                "typed": turn.extra.get("typed"),
                "authored_tags": list(choice.tags),
                "misunderstood": [m.get("typed", "") for m in turn.extra.get("misses", ())],
            }
        )
        spoken = after
    return {
        "transcript_version": TRANSCRIPT_VERSION,
        "scenario": sc.id,
        "version": sc.version,
        "seed": call.seed,
        "lang": lang,
        "turns": turns,
        "now": {"state": call.state, "customer": spoken},
        "finished": call.finished,
        "outcome": call.outcome,
        "ending_summary": call.ending.summary.get(lang) if call.ending else None,
    }


def because(call: Call, change: MoodChange, lang: Lang) -> str:
    """Why the mood moved, in the trainee's language ("you interrupted")."""
    persona = call.scenario.persona
    kind, _, name = change.cause.partition(":")
    if change.reaction is not None:
        return persona.reactions[change.reaction].because.get(lang)
    if kind == "interjection":
        inter = next(i for i in persona.interjections if i.id == name)
        return inter.because.get(lang)
    if kind == "tag":
        return call.plot.tags[name].name.get(lang)
    if kind == "misunderstood":
        return "they did not understand you" if lang == "en" else "客户没听懂您的意思"
    return "your reply" if lang == "en" else "你的回答"

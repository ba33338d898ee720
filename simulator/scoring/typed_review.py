"""What a typed reply (free-text mode) was understood as, for the debrief and reports.

The engine keeps only what was typed and the tags it was scored with; the match is
pure and deterministic, so it is worked out again here: the same ``match_reply`` over
the choices that were on offer, in the language the reply was typed in (Chinese when
it holds a CJK character, else English), whatever language the debrief is shown in.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.engine.call import Call
from simulator.engine.turn import Turn
from simulator.scenario.model import Lang
from simulator.scoring.matcher import match_reply

_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def typed_lang(text: str) -> Lang:
    return "zh" if _CJK.search(text) else "en"


def typed_review(call: Call, turn: Turn, lang: Lang) -> dict[str, Any] | None:
    """For a typed turn: ``{"typed", "understood_as": {"id", "text"}, "similarity",
    "rules": [{"tag", "name", "change", "why", "matched", "rule"}], "better": {"id",
    "text"}}`` (texts in ``lang``); None for a reply picked from the list."""
    typed = turn.extra.get("typed")
    if not isinstance(typed, str):
        return None
    state = call.scenario.states[turn.state]
    offered = [state.choice(c) for c in turn.offered]
    choice = state.choice(turn.choice)
    best = state.choice(turn.best)
    m = match_reply(typed, offered, typed_lang(typed), call.plot.tags)
    sims = dict(m.ranking)
    tags = call.plot.tags
    rules = []
    if m.choice is not None and m.choice.id == turn.choice:
        for a in m.adjustments:
            rules.append(a.as_dict() | {"name": tags[a.tag].name.get(lang)})
    else:  # matched otherwise when it was said (another rule set): the tags still tell
        for tag in turn.tags:
            if tag not in choice.tags:
                rules.append(_bare(tag, "added", tags[tag].name.get(lang)))
        for tag in choice.tags:
            if tag not in turn.tags:
                rules.append(_bare(tag, "removed", tags[tag].name.get(lang)))
    return {
        "typed": typed,
        "understood_as": {"id": choice.id, "text": choice.text.get(lang)},
        "similarity": sims.get(turn.choice, 0.0),
        "rules": rules,
        "better": {"id": best.id, "text": best.text.get(lang)},
    }


def _bare(tag: str, change: str, name: str) -> dict[str, Any]:
    return {
        "tag": tag,
        "name": name,
        "change": change,
        "why": "said",
        "matched": None,
        "rule": None,
    }


def miss_count(call: Call) -> int:
    """Typed replies the customer did not understand, over the call (pending ones too)."""
    kept = sum(len(t.extra.get("misses", ())) for t in call.turns)
    return kept + len(call.pending_misses)


def misses_before(turn: Turn) -> list[str]:
    """What was typed and not understood before this turn's reply."""
    return [str(m.get("typed", "")) for m in turn.extra.get("misses", ())]

"""The customer player's role card and the stage cues read from the live mood.

Everything on the card comes from the scenario and its persona: who the customer is
and how they sound, the facts they know (account, order…), what they want (the
concerns), their mood at the start, and which of the agent's moves make them calmer
or angrier (the persona's reactions, with the author's "because").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.engine.turn import Turn
from simulator.i18n import fact_label, t
from simulator.scenario.model import Lang, MoodCond, MoodVar, Persona, Scenario, TagDef

# Share of a mood's range, from its bad end, at which a cue tells the player to show it.
STRONG, MILD = 0.7, 0.3
KNOWN_CUES = ("anger", "patience", "trust", "confusion", "focus")


@dataclass(frozen=True, slots=True)
class Move:
    """One kind of reply and what it does to the customer."""

    skill: str
    effect: str  # "怒气 -12 · 信任 +8"
    because: str


@dataclass(frozen=True, slots=True)
class RoleCard:
    title: str
    persona: str
    how_you_sound: str
    what_you_want: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    mood: tuple[str, ...]
    calmer: tuple[Move, ...]
    angrier: tuple[Move, ...]
    limits: tuple[str, ...]


def badness(var: MoodVar, value: int) -> float:
    """0 at the mood's good end, 1 at its bad end."""
    span = max(1, var.max - var.min)
    share = (value - var.min) / span
    return share if var.good == "low" else 1.0 - share


def _effect(persona: Persona, mood: Mapping[str, int], lang: Lang) -> tuple[str, float]:
    parts, net = [], 0.0
    for var_id, delta in mood.items():
        var = persona.mood[var_id]
        parts.append(f"{var.label.get(lang)} {delta:+d}")
        net += delta if var.good == "low" else -delta
    return " · ".join(parts), net


def role_card(scenario: Scenario, tags: Mapping[str, TagDef], lang: Lang) -> RoleCard:
    persona = scenario.persona
    calmer: list[Move] = []
    angrier: list[Move] = []
    for reaction in persona.reactions:
        tag = tags.get(reaction.tag)
        effect, net = _effect(persona, reaction.mood, lang)
        move = Move(tag.name.get(lang) if tag else reaction.tag, effect, reaction.because.get(lang))
        (angrier if net > 0 else calmer).append(move)
    limits = []
    for threshold in persona.thresholds:
        cond = threshold.when
        if isinstance(cond, MoodCond) and cond.var in persona.mood:
            label = persona.mood[cond.var].label.get(lang)
            bound = f"≥ {cond.at_least}" if cond.at_least is not None else f"≤ {cond.at_most}"
            key = "drill_card_limit_hangup" if threshold.event == "hang-up" else "drill_card_limit"
            limits.append(t(lang, key, mood=label, bound=bound, event=threshold.event))
    for inter in persona.interjections:
        limits.append(t(lang, "drill_card_aside", n=inter.every, because=inter.because.get(lang)))
    facts = tuple((fact_label(lang, k), v.get(lang)) for k, v in scenario.customer.items())
    mood = tuple(
        t(
            lang,
            "drill_card_mood_low" if v.good == "low" else "drill_card_mood_high",
            mood=v.label.get(lang),
            start=v.start,
            min=v.min,
            max=v.max,
        )
        for v in persona.mood.values()
    )
    return RoleCard(
        title=scenario.title.get(lang),
        persona=persona.name.get(lang),
        how_you_sound=persona.signs.get(lang),
        what_you_want=tuple(c.summary.get(lang) for c in scenario.concerns),
        facts=facts,
        mood=mood,
        calmer=tuple(calmer),
        angrier=tuple(angrier),
        limits=tuple(limits),
    )


def stage_cues(
    persona: Persona, mood: Mapping[str, int], lang: Lang, last: Turn | None = None
) -> list[str]:
    """How to play the next line: from where each mood stands, and how the last reply
    moved it."""
    cues: list[str] = []
    if last is not None and last.changes:
        _, net = _effect(persona, {c.var: c.delta for c in last.changes}, lang)
        if net > 0:
            cues.append(t(lang, "drill_cue_worse"))
        elif net < 0:
            cues.append(t(lang, "drill_cue_better"))
    for var in persona.mood.values():
        value = mood.get(var.id, var.start)
        level = badness(var, value)
        label = var.label.get(lang)
        if level >= STRONG:
            key = f"drill_cue_{var.id}_bad" if var.id in KNOWN_CUES else "drill_cue_bad"
            cues.append(t(lang, key, mood=label))
        elif level <= MILD:
            key = f"drill_cue_{var.id}_good" if var.id in KNOWN_CUES else "drill_cue_good"
            cues.append(t(lang, key, mood=label))
    if not cues:
        cues.append(t(lang, "drill_cue_steady"))
    return cues

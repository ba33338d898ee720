"""The debrief: a transcript explained through the models the trade teaches.

Pure computation from the call and its scenario (domain §2, §3, §5, §10, §11): the
rubric score, the listen → feedback → confirm loop for each concern, the 3-Yes ladder,
the five call phases, the language used, the service level reached, the mood curve,
the turn-by-turn review, strengths and what to practise. Presentation (TUI, reports)
only renders what is here. ``DEBRIEF_VERSION`` changes when the JSON shape does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.call import Call
from simulator.engine.transcript import because
from simulator.scenario.model import DIMENSIONS, LOOP_STEPS, PHASES, Choice, Lang, Scenario
from simulator.scoring.rubric import Score, score_call
from simulator.scoring.typed_review import miss_count, misses_before, typed_review

DEBRIEF_VERSION = 1
YES_TAGS = ("yes-step-1", "yes-step-2", "yes-step-3")
LANGUAGE_TAGS = (
    "forbidden-phrase",
    "taboo-word",
    "rhetorical-tone",
    "interrogating-tone",
    "blame-customer",
    "blame-department",
    "argue",
    "dismissive",
    "jargon",
    "vague-promise",
    "over-promise",
    "interrupt",
    "pressure",
    "misleading",
    "privacy-breach",
    "agent-hang-up",
    "literal-answer",
)
SOLUTION_TAGS = (
    "propose-solution",
    "offer-options",
    "escalate",
    "transfer-with-consent",
    "follow-up",
    "create-ticket",
    "yes-step-3",
)
GOOD_OUTCOMES = ("resolved", "resolved-with-follow-up", "escalated", "transferred", "agent-ended")

_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "loop_complete": "倾听、反馈、确认依次完成。",
        "loop_missing": "缺少“{steps}”。",
        "loop_order": "第 {turn} 轮先做了“{step}”，而“{before}”还没做：{hint}",
        "loop_not_raised": "这个问题在通话中没有被谈到。",
        "hint_feedback_first": "还没听清、确认问题就给出了方案。",
        "hint_confirm_first": "还没给出反馈就急着确认。",
        "hint_other": "顺序应是倾听 → 反馈 → 确认。",
        "interrupted": "第 {turn} 轮打断了客户，倾听中断。",
        "step_listen": "倾听",
        "step_feedback": "反馈",
        "step_confirm": "确认",
        "phase_done": "完成",
        "phase_missed": "遗漏",
        "phase_out_of_order": "顺序错误",
        "level_none": "未达到：没有给出有效的答复。",
        "level_answer": "解答：回答了客户的问题，但问题还没有真正解决。",
        "level_solve": "解决：客户的问题得到了解决，并确认客户接受。",
        "level_complete": "全面服务：所有相关问题一次解决，客户无需再来电。",
        "level_extended": "延伸服务：在全面解决之外，还主动提供了客户没开口的帮助。",
        "yes_early": "第 {turn} 轮过早提出了最终请求（前面的“是”还没有建立）。",
        "yes_order": "三个“是”没有由小到大依次递进。",
        "yes_missing": "缺少{rung}。",
        "ethic_misleading": "第 {turn} 轮有误导性说法。",
        "ethic_pressure": "第 {turn} 轮在施压，没有给客户考虑和拒绝的空间。",
        "ethic_no_room": "没有明确给客户留出考虑或拒绝的余地。",
        "ethic_no_need": "提问前没有先了解客户的真实需求。",
        "rung_1": "第一个“是”（事实）",
        "rung_2": "第二个“是”（利益）",
        "rung_3": "第三个“是”（目标）",
    },
    "en": {
        "loop_complete": "Listen, feedback and confirm, in that order.",
        "loop_missing": "Missing: {steps}.",
        "loop_order": "Turn {turn}: {step} came before {before}: {hint}",
        "loop_not_raised": "This concern never came up in the call.",
        "hint_feedback_first": "you proposed a fix before hearing and confirming the problem.",
        "hint_confirm_first": "you asked for confirmation before giving any feedback.",
        "hint_other": "the order is listen → feedback → confirm.",
        "interrupted": "Turn {turn}: you interrupted, which broke the listening.",
        "step_listen": "listen",
        "step_feedback": "feedback",
        "step_confirm": "confirm",
        "phase_done": "done",
        "phase_missed": "missed",
        "phase_out_of_order": "out of order",
        "level_none": "None reached: no useful answer was given.",
        "level_answer": "Answer: the question was answered, but the problem is not solved yet.",
        "level_solve": "Solve: the customer's problem was solved and they accepted the solution.",
        "level_complete": "Complete service: every related problem solved in one call; "
        "no need to call back.",
        "level_extended": "Extended service: beyond solving everything, you offered help "
        "they had not asked for.",
        "yes_early": "Turn {turn}: the final ask came too early "
        "(the earlier yeses were not built).",
        "yes_order": "The three yeses did not rise from small to large.",
        "yes_missing": "Missing the {rung}.",
        "ethic_misleading": "Turn {turn}: a misleading statement.",
        "ethic_pressure": "Turn {turn}: pressure, with no room to think or refuse.",
        "ethic_no_room": "You never explicitly left room to think it over or say no.",
        "ethic_no_need": "You made the pitch before finding out the customer's real need.",
        "rung_1": "first yes (a fact)",
        "rung_2": "second yes (a benefit)",
        "rung_3": "third yes (the goal)",
    },
}


def _m(lang: Lang, key: str, **values: object) -> str:
    return _MESSAGES[lang][key].format(**values)


@dataclass
class Debrief:
    """Everything the debrief shows, as plain data in one language."""

    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return self.data


def _loop_steps(call: Call, tags: Iterable[str]) -> list[str]:
    out = []
    for tag in tags:
        step = call.plot.tags[tag].loop
        if step and step not in out:
            out.append(step)
    return out


def _best_choice_for(
    call: Call, step: str, concern: str, taken: set[str] | None = None
) -> Choice | None:
    """The scenario's best reply serving ``step`` for ``concern``, preferring one not in
    ``taken`` so that a model loop does not quote the same reply twice."""
    plot = call.plot
    found: list[Choice] = []
    for state in call.scenario.states.values():
        if state.concern != concern:
            continue
        best = plot.best_choice(state)
        if any(plot.tags[t].loop == step for t in best.tags):
            found.append(best)
    fresh = [c for c in found if taken is None or c.id not in taken]
    pool = fresh or found
    return pool[0] if pool else None


def analyse_loops(call: Call, lang: Lang) -> list[dict[str, Any]]:
    """For each concern: which loop steps, in which turns, and where the order broke."""
    out = []
    for concern in call.scenario.concerns:
        sequence: list[tuple[str, int]] = []
        interrupted: list[int] = []
        raised = False
        progress = 0  # how many of listen, feedback, confirm were reached in order
        order_problem: tuple[int, str, str] | None = None
        for turn in call.turns:
            if turn.concern != concern.id:
                continue
            raised = True
            if "interrupt" in turn.tags:
                interrupted.append(turn.number)
            for step in _loop_steps(call, turn.tags):
                sequence.append((step, turn.number))
                index = LOOP_STEPS.index(step)
                if index == progress:
                    progress = min(progress + 1, len(LOOP_STEPS))
                elif index > progress and order_problem is None:
                    order_problem = (turn.number, step, LOOP_STEPS[progress])
        complete = progress == len(LOOP_STEPS)
        findings: list[str] = []
        if not raised:
            findings.append(_m(lang, "loop_not_raised"))
        else:
            if order_problem is not None:
                turn_no, step, before = order_problem
                hint = {"feedback": "hint_feedback_first", "confirm": "hint_confirm_first"}.get(
                    step, "hint_other"
                )
                findings.append(
                    _m(
                        lang,
                        "loop_order",
                        turn=turn_no,
                        step=_m(lang, f"step_{step}"),
                        before=_m(lang, f"step_{before}"),
                        hint=_m(lang, hint),
                    )
                )
            done = {s for s, _ in sequence}
            missing = [s for s in LOOP_STEPS if s not in done]
            if missing:
                findings.append(
                    _m(
                        lang,
                        "loop_missing",
                        steps=("、" if lang == "zh" else ", ").join(
                            _m(lang, f"step_{s}") for s in missing
                        ),
                    )
                )
            findings += [_m(lang, "interrupted", turn=n) for n in interrupted]
            if complete and not findings:
                findings.append(_m(lang, "loop_complete"))
        model = []
        if not complete or order_problem is not None:
            taken: set[str] = set()
            for step in LOOP_STEPS:
                choice = _best_choice_for(call, step, concern.id, taken)
                if choice is not None:
                    taken.add(choice.id)
                    model.append({"step": step, "text": choice.text.get(lang)})
        out.append(
            {
                "concern": concern.id,
                "summary": concern.summary.get(lang),
                "raised": raised,
                "steps": [{"step": s, "turn": n} for s, n in sequence],
                "complete": complete,
                "in_order": order_problem is None,
                "findings": findings,
                "model_loop": model,
            }
        )
    return out


def analyse_phases(call: Call, lang: Lang) -> list[dict[str, Any]]:
    first: dict[str, int] = {}
    for turn in call.turns:
        for tag in turn.tags:
            tdef = call.plot.tags[tag]
            if tdef.phase and sum(tdef.points.values()) > 0 and tdef.phase not in first:
                first[tdef.phase] = turn.number
    out = []
    latest = 0
    for phase in PHASES:
        turn_no = first.get(phase)
        if turn_no is None:
            status = "missed"
        elif turn_no < latest:
            status = "out_of_order"
        else:
            status = "done"
            latest = turn_no
        out.append(
            {
                "phase": phase,
                "status": status,
                "turn": turn_no,
                "label": _m(lang, f"phase_{status}"),
            }
        )
    return out


def analyse_language(call: Call, lang: Lang) -> list[dict[str, Any]]:
    out = []
    for turn in call.turns:
        choice = call.scenario.states[turn.state].choice(turn.choice)
        for tag in turn.tags:
            if tag in LANGUAGE_TAGS:
                tdef = call.plot.tags[tag]
                out.append(
                    {
                        "turn": turn.number,
                        "tag": tag,
                        "name": tdef.name.get(lang),
                        "said": choice.text.get(lang),
                        "why": tdef.explain.get(lang),
                        "better": tdef.better.get(lang) if tdef.better else None,
                    }
                )
    return out


def analyse_three_yes(call: Call, lang: Lang) -> dict[str, Any] | None:
    sc = call.scenario
    if sc.three_yes_goal is None:
        return None
    first: dict[str, int] = {}
    ethics: list[str] = []
    discovery_turn: int | None = None
    room = False
    for turn in call.turns:
        for tag in turn.tags:
            if tag in YES_TAGS and tag not in first:
                first[tag] = turn.number
            if tag == "misleading":
                ethics.append(_m(lang, "ethic_misleading", turn=turn.number))
            if tag == "pressure":
                ethics.append(_m(lang, "ethic_pressure", turn=turn.number))
            if tag == "room-to-refuse":
                room = True
            if (
                tag in ("open-question", "closed-question", "confirm-understanding")
                and discovery_turn is None
            ):
                discovery_turn = turn.number
    findings = []
    rungs = [{"rung": i + 1, "tag": tag, "turn": first.get(tag)} for i, tag in enumerate(YES_TAGS)]
    for i, tag in enumerate(YES_TAGS):
        if tag not in first:
            findings.append(_m(lang, "yes_missing", rung=_m(lang, f"rung_{i + 1}")))
    turns = [first[t] for t in YES_TAGS if t in first]
    rising = turns == sorted(turns)
    if not rising:
        findings.append(_m(lang, "yes_order"))
    ask = first.get("yes-step-3")
    too_early = ask is not None and any(first.get(t, 10**6) > ask for t in YES_TAGS[:2])
    if too_early:
        findings.append(_m(lang, "yes_early", turn=ask))
    if not room:
        ethics.append(_m(lang, "ethic_no_room"))
    if ask is not None and (discovery_turn is None or discovery_turn > ask):
        ethics.append(_m(lang, "ethic_no_need"))
    return {
        "goal": sc.three_yes_goal.get(lang),
        "rungs": rungs,
        "rising": rising,
        "ask_too_early": too_early,
        "findings": findings,
        "ethics": ethics,
        "ethical": not any(
            "misleading" in t or "pressure" in t for turn in call.turns for t in turn.tags
        ),
    }


def service_level(call: Call, loops: Sequence[dict[str, Any]], lang: Lang) -> dict[str, Any]:
    tags = Counter(t for turn in call.turns for t in turn.tags)
    answered = any(call.plot.tags[t].loop == "feedback" for t in tags)
    solved = (
        call.outcome in GOOD_OUTCOMES
        and any(t in tags for t in SOLUTION_TAGS)
        and ("confirm-solution" in tags or call.outcome != "resolved")
    )
    raised = [lp for lp in loops if lp["raised"]]
    complete = solved and bool(raised) and all(lp["complete"] for lp in loops)
    extended = complete and "proactive-offer" in tags
    level = (
        "extended"
        if extended
        else "complete"
        if complete
        else "solve"
        if solved
        else "answer"
        if answered
        else "none"
    )
    rank = {"none": 0, "answer": 1, "solve": 2, "complete": 3, "extended": 4}[level]
    return {"level": level, "rank": rank, "reason": _m(lang, f"level_{level}")}


def mood_curve(call: Call, lang: Lang) -> dict[str, Any]:
    persona = call.scenario.persona
    series = {v: [var.start] for v, var in persona.mood.items()}
    moves: list[dict[str, Any]] = []
    for turn in call.turns:
        for v, values in series.items():
            values.append(turn.mood_after[v])
        size = sum(abs(c.delta) for c in turn.changes)
        if size:
            moves.append(
                {
                    "turn": turn.number,
                    "size": size,
                    "changes": [
                        {"var": c.var, "delta": c.delta, "because": because(call, c, lang)}
                        for c in turn.changes
                    ],
                }
            )
    moves.sort(key=lambda m: (-m["size"], m["turn"]))
    return {
        "variables": {
            v: {"label": var.label.get(lang), "good": var.good, "min": var.min, "max": var.max}
            for v, var in persona.mood.items()
        },
        "series": series,
        "biggest_moves": moves[:3],
    }


def review(call: Call, lang: Lang) -> list[dict[str, Any]]:
    out = []
    for turn in call.turns:
        state = call.scenario.states[turn.state]
        choice = state.choice(turn.choice)
        best = state.choice(turn.best)
        out.append(
            {
                "turn": turn.number,
                "state": turn.state,
                "phase": turn.phase,
                "reply": choice.text.get(lang),
                "tags": list(turn.tags),
                "points": turn.points,
                "total": sum(turn.points.values()),
                "best": best.text.get(lang),
                "is_best": turn.best == turn.choice,
                "feedback": choice.feedback.get(lang),
                # Free-text mode: what was typed and how it was understood (else None),
                # and what was typed before it that the customer did not understand.
                "typed": typed_review(call, turn, lang),
                "misunderstood": misses_before(turn),
            }
        )
    return out


def strengths_and_gaps(call: Call, library: Iterable[Scenario], lang: Lang) -> dict[str, Any]:
    plot = call.plot
    gained: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    for turn in call.turns:
        state = call.scenario.states[turn.state]
        for tag in turn.tags:
            value = sum(plot.tags[tag].points.values())
            if value > 0:
                gained[tag] += value
            elif value < 0:
                lost[tag] += -value
        if turn.best != turn.choice:
            for tag in state.choice(turn.best).tags:
                value = sum(plot.tags[tag].points.values())
                if value > 0 and tag not in turn.tags:
                    lost[tag] += value

    def named(tag: str) -> dict[str, str]:
        return {"tag": tag, "name": plot.tags[tag].name.get(lang)}

    strengths = [named(t) for t, _ in gained.most_common(3)]
    practise = [named(t) for t, _ in lost.most_common(3)]
    nxt = None
    weakest = [p["tag"] for p in practise]
    order = {"basic": 0, "intermediate": 1, "advanced": 2}
    for tag in weakest:
        candidates = [s for s in library if s.id != call.scenario.id and tag in s.skills]
        if candidates:
            here = order[call.scenario.difficulty]
            pick = min(candidates, key=lambda s: (abs(order[s.difficulty] - here), s.id))
            nxt = {
                "scenario": pick.id,
                "title": pick.title.get(lang),
                "skill": tag,
                "skill_name": plot.tags[tag].name.get(lang),
            }
            break
    return {"strengths": strengths, "practise": practise, "next_scenario": nxt}


def debrief(call: Call, lang: Lang, library: Iterable[Scenario] = ()) -> Debrief:
    sc = call.scenario
    score: Score = score_call(call)
    loops = analyse_loops(call, lang)
    return Debrief(
        {
            "debrief_version": DEBRIEF_VERSION,
            "scenario": sc.id,
            "version": sc.version,
            "title": sc.title.get(lang),
            "lang": lang,
            "finished": call.finished,
            "outcome": call.outcome,
            "ending_summary": call.ending.summary.get(lang) if call.ending else None,
            "score": score.as_dict(),
            "dimensions": list(DIMENSIONS),
            "loops": loops,
            "three_yes": analyse_three_yes(call, lang),
            "phases": analyse_phases(call, lang),
            "language": analyse_language(call, lang),
            "service_level": service_level(call, loops, lang),
            "mood": mood_curve(call, lang),
            "review": review(call, lang),
            "misunderstood": miss_count(call),
            "practice": strengths_and_gaps(call, library, lang),
        }
    )

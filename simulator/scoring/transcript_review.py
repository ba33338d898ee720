"""A recorded call scored the way the simulator scores a played one (docs/free-text.md).

Every agent utterance goes through the phrase rules; the customer's utterances give
the cues the agent had to answer (upset, a threat, abuse, a new concern). The points
are the tags' points from tags.yaml, summed over the call, and ``score_sums`` — the
same function that scores a played call — turns them into the four dimensions, the
caps and the total. What a played call compares with the best reply on offer, a
transcript compares with a QA checklist: what the agent said well, plus what the
checklist expected of this call and never heard.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.scenario.model import DIMENSIONS, LOOP_STEPS, PHASES, Lang, Rubric, TagDef
from simulator.scoring.analyse import Analysis, Hit, analyse
from simulator.scoring.debrief import GOOD_OUTCOMES, LANGUAGE_TAGS, SOLUTION_TAGS, YES_TAGS
from simulator.scoring.phrase_rules import PhraseBook
from simulator.scoring.rubric import Score, score_sums
from simulator.scoring.transcript_input import Utterance

# What every call is expected to show, as groups: one tag of a group is enough; a group
# never heard adds its first tag's points to what was on offer.
CHECKLIST: tuple[tuple[str, ...], ...] = (
    ("greeting",),
    ("self-id",),
    ("open-question", "closed-question", "acknowledge", "let-finish"),
    ("paraphrase", "confirm-understanding"),
    ("propose-solution", "offer-options", "escalate", "transfer-with-consent", "follow-up"),
    ("summarise",),
    ("offer-more-help",),
    ("closing",),
)
UPSET_CHECKLIST: tuple[tuple[str, ...], ...] = (("empathy",), ("apology",))
COMMITMENTS = ("follow-up", "create-ticket", "vague-promise", "propose-solution")
# In a recorded call a walk-through the agent leads is a solution too (the debrief's
# SOLUTION_TAGS, plus step-by-step).
SOLVING = (*SOLUTION_TAGS, "step-by-step")

_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "phase-missed": "通话缺少“{phase}”环节。",
        "phase-out-of-order": "“{phase}”环节出现的顺序不对（在后面的环节之前就出现了）。",
        "no-empathy": "客户在第 {turn} 句表现出不满，坐席之后没有表达理解或道歉。",
        "no-timeframe": "第 {turn} 句做出了承诺，但整通电话没有给出具体时间。",
        "language": "第 {turn} 句“{said}”：{name}。建议：{better}",
        "loop-complete": "问题 {n}（第 {turn} 句起）：倾听、反馈、确认依次完成。",
        "loop-incomplete": "问题 {n}（第 {turn} 句起）：缺少“{steps}”。",
        "loop-order": "问题 {n}：第 {turn} 句先做了“{step}”，而“{before}”还没做。",
        "escalation-missed": "客户在第 {turn} 句提到媒体、监管或法律途径，坐席没有按流程升级。",
        "abuse-not-warned": "客户在第 {turn} 句辱骂，坐席没有先警告。",
        "customer-hung-up": "客户在第 {turn} 句挂断了电话，问题没有解决。",
        "agent-hung-up": "坐席在第 {turn} 句擅自挂断了电话。",
        "complaint": "通话以客户投诉结束（第 {turn} 句）。",
        "capped": "总分被封顶：{caps}。",
        "three-yes-order": "三个“是”没有由小到大依次递进。",
        "three-yes-early": "第 {turn} 句过早提出了最终请求。",
        "no-room-to-refuse": "推荐时没有给客户留出考虑或拒绝的余地。",
        "service-level": "服务层级：{reason}",
        "phase_opening": "开场",
        "phase_discovery": "需求了解",
        "phase_resolution": "解决问题",
        "phase_summary": "总结确认",
        "phase_closing": "结束语",
        "step_listen": "倾听",
        "step_feedback": "反馈",
        "step_confirm": "确认",
        "sep": "、",
    },
    "en": {
        "phase-missed": "The call has no {phase} phase.",
        "phase-out-of-order": "The {phase} phase came out of order (before an earlier phase).",
        "no-empathy": "The customer was upset at utterance {turn}; no empathy or apology followed.",
        "no-timeframe": "Utterance {turn} made a commitment, but no concrete time was given "
        "anywhere in the call.",
        "language": "Utterance {turn}, “{said}”: {name}. Better: {better}",
        "loop-complete": "Concern {n} (from utterance {turn}): listen, feedback and confirm, "
        "in that order.",
        "loop-incomplete": "Concern {n} (from utterance {turn}): missing {steps}.",
        "loop-order": "Concern {n}: utterance {turn} gave {step} before {before}.",
        "escalation-missed": "The customer mentioned the media, a regulator or legal action at "
        "utterance {turn}; the agent did not escalate.",
        "abuse-not-warned": "The customer was abusive at utterance {turn}; the agent gave no "
        "warning.",
        "customer-hung-up": "The customer hung up at utterance {turn}, unresolved.",
        "agent-hung-up": "The agent hung up on the customer at utterance {turn}.",
        "complaint": "The call ended in a complaint (utterance {turn}).",
        "capped": "The total is capped: {caps}.",
        "three-yes-order": "The three yeses did not rise from small to large.",
        "three-yes-early": "Utterance {turn}: the final ask came too early.",
        "no-room-to-refuse": "The pitch left no room to think it over or say no.",
        "service-level": "Service level: {reason}",
        "phase_opening": "opening",
        "phase_discovery": "need discovery",
        "phase_resolution": "resolution",
        "phase_summary": "summary",
        "phase_closing": "closing",
        "step_listen": "listen",
        "step_feedback": "feedback",
        "step_confirm": "confirm",
        "sep": ", ",
    },
}
_LEVELS = {
    "zh": {
        "none": "未达到：没有给出有效的答复。",
        "answer": "解答：回答了客户的问题，但问题还没有真正解决。",
        "solve": "解决：客户的问题得到了解决，并确认客户接受。",
        "complete": "全面服务：所有相关问题一次解决，客户无需再来电。",
        "extended": "延伸服务：在全面解决之外，还主动提供了客户没开口的帮助。",
    },
    "en": {
        "none": "none reached: no useful answer was given.",
        "answer": "answer: the question was answered, but the problem is not solved yet.",
        "solve": "solve: the problem was solved and the customer accepted the solution.",
        "complete": "complete service: every related problem solved in one call.",
        "extended": "extended service: beyond solving everything, help they had not asked for.",
    },
}

_LEVEL_NAMES = {
    "zh": {
        "none": "未达到",
        "answer": "解答",
        "solve": "解决",
        "complete": "全面服务",
        "extended": "延伸服务",
    },
    "en": {
        "none": "none",
        "answer": "answer",
        "solve": "solve",
        "complete": "complete",
        "extended": "extended",
    },
}
_CUE_NAMES = {
    "zh": {
        "upset": "不满",
        "threat": "威胁曝光/投诉监管",
        "complaint": "要投诉",
        "abuse": "辱骂",
        "confused": "没听懂",
        "new-concern": "新问题",
    },
    "en": {
        "upset": "upset",
        "threat": "threatens media/regulator",
        "complaint": "wants to complain",
        "abuse": "abusive",
        "confused": "confused",
        "new-concern": "new concern",
    },
}


def level_name(lang: Lang, level: str) -> str:
    return _LEVEL_NAMES[lang][level]


def cue_name(lang: Lang, cue: str) -> str:
    return _CUE_NAMES[lang][cue]


def _m(lang: Lang, key: str, **values: object) -> str:
    return _MESSAGES[lang][key].format(**values)


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    turn: int | None  # 1-based index into the utterances
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "turn": self.turn, "message": self.message}


@dataclass(frozen=True, slots=True)
class ReviewedUtterance:
    utterance: Utterance
    hits: tuple[Hit, ...]  # agent: tags; customer: cues
    tags: tuple[str, ...]  # the tags counted for this utterance (agent only)

    def as_dict(self) -> dict[str, Any]:
        u = self.utterance
        return {
            "speaker": u.speaker,
            "text": u.text,
            "event": u.event,
            "tags": [h.as_dict() for h in self.hits] if u.speaker == "agent" else [],
            "cues": [h.as_dict() for h in self.hits] if u.speaker == "customer" else [],
        }


@dataclass(frozen=True, slots=True)
class TranscriptReview:
    lang: Lang
    utterances: tuple[ReviewedUtterance, ...]
    findings: tuple[Finding, ...]
    score: Score
    service_level: str
    outcome: str | None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `calldrill score-transcript --json` (docs/free-text.md)."""
        return {
            "utterances": [u.as_dict() for u in self.utterances],
            "findings": [f.as_dict() for f in self.findings],
            "scores": dict(self.score.dimensions),
            "total": self.score.total,
            "service_level": self.service_level,
        }


def _tag_hit(tag: str, u: Utterance) -> Hit:
    return Hit(f"event:{u.event}", tag, 0, len(u.text), u.text)


def review_transcript(
    utterances: Sequence[Utterance],
    lang: Lang,
    tags: Mapping[str, TagDef],
    rubric: Rubric,
    book: PhraseBook,
) -> TranscriptReview:
    reviewed: list[ReviewedUtterance] = []
    warned = False
    abused = False
    for u in utterances:
        if u.event == "hang-up" and u.speaker == "agent":
            tag = "end-abusive-call" if abused and warned else "agent-hang-up"
            reviewed.append(ReviewedUtterance(u, (_tag_hit(tag, u),), (tag,)))
            continue
        if u.event is not None:
            reviewed.append(ReviewedUtterance(u, (), ()))
            continue
        analysis: Analysis = analyse(u.text, book, u.speaker)
        if u.speaker == "customer":
            abused = abused or "abuse" in analysis.tags
            reviewed.append(ReviewedUtterance(u, analysis.hits, ()))
            continue
        warned = warned or "warn-abuse" in analysis.tags
        reviewed.append(ReviewedUtterance(u, analysis.hits, analysis.tags))
    return _judge(reviewed, lang, tags, rubric)


def _judge(
    reviewed: list[ReviewedUtterance], lang: Lang, tags: Mapping[str, TagDef], rubric: Rubric
) -> TranscriptReview:
    said: Counter[str] = Counter(t for r in reviewed for t in r.tags)
    first_tag: dict[str, int] = {}
    cue_turns: dict[str, list[int]] = {}
    for n, r in enumerate(reviewed, start=1):
        for t in r.tags:
            first_tag.setdefault(t, n)
        if r.utterance.speaker == "customer":
            for h in r.hits:
                cue_turns.setdefault(h.tag, []).append(n)
    upset = bool(cue_turns.get("upset") or cue_turns.get("complaint") or cue_turns.get("abuse"))
    outcome, outcome_turn = _outcome(reviewed, said, cue_turns)

    earned = dict.fromkeys(DIMENSIONS, 0)
    available = dict.fromkeys(DIMENSIONS, 0)
    for r in reviewed:
        for t in r.tags:
            for dim, value in tags[t].points.items():
                earned[dim] += value
                available[dim] += max(value, 0)
    checklist = CHECKLIST + (UPSET_CHECKLIST if upset else ())
    if "threat" in cue_turns:
        checklist += (("escalate",),)
    if "abuse" in cue_turns:
        checklist += (("warn-abuse",),)
    if any(t in said for t in COMMITMENTS):
        checklist += (("concrete-timeframe",),)
    for group in checklist:
        if not any(t in said for t in group):
            for dim, value in tags[group[0]].points.items():
                available[dim] += max(value, 0)
    blockers = {t for t in said if tags[t].blocker}
    score = score_sums(earned, available, outcome, blockers, rubric, finished=True)

    findings: list[Finding] = []
    findings += _phase_findings(reviewed, tags, lang)
    findings += _cue_findings(reviewed, cue_turns, first_tag, lang)
    findings += _language_findings(reviewed, tags, lang)
    commit = min((first_tag[t] for t in COMMITMENTS if t in first_tag), default=None)
    if commit is not None and "concrete-timeframe" not in said:
        findings.append(Finding("no-timeframe", commit, _m(lang, "no-timeframe", turn=commit)))
    loops, loop_findings = _loops(reviewed, cue_turns, tags, lang)
    findings += loop_findings
    findings += _three_yes(reviewed, first_tag, said, lang)
    if outcome == "customer-hung-up":
        findings.append(Finding(outcome, outcome_turn, _m(lang, outcome, turn=outcome_turn)))
    if outcome == "complaint-filed":
        findings.append(
            Finding("complaint", outcome_turn, _m(lang, "complaint", turn=outcome_turn))
        )
    if "agent-hang-up" in first_tag:
        turn = first_tag["agent-hang-up"]
        findings.append(Finding("agent-hung-up", turn, _m(lang, "agent-hung-up", turn=turn)))
    if score.caps:
        caps = _m(lang, "sep").join(_cap_name(lang, cap, tags, rubric) for cap in score.caps)
        findings.append(Finding("capped", None, _m(lang, "capped", caps=caps)))
    level = _service_level(said, outcome, loops, tags)
    findings.append(
        Finding("service-level", None, _m(lang, "service-level", reason=_LEVELS[lang][level]))
    )
    return TranscriptReview(lang, tuple(reviewed), tuple(findings), score, level, outcome)


_OUTCOME_NAMES = {
    "zh": {"customer-hung-up": "客户挂断", "complaint-filed": "客户投诉"},
    "en": {"customer-hung-up": "the customer hung up", "complaint-filed": "a complaint"},
}


def _cap_name(lang: Lang, cap: str, tags: Mapping[str, TagDef], rubric: Rubric) -> str:
    kind, _, what = cap.partition(":")
    if kind == "outcome":
        name, limit = _OUTCOME_NAMES[lang].get(what, what), rubric.outcome_caps[what]
    else:
        name, limit = tags[what].name.get(lang), rubric.blocker_cap
    return f"{name}（≤ {limit}）" if lang == "zh" else f"{name} (≤ {limit})"


def _outcome(
    reviewed: list[ReviewedUtterance], said: Counter[str], cue_turns: Mapping[str, list[int]]
) -> tuple[str | None, int | None]:
    closed_at = None
    for n, r in enumerate(reviewed, start=1):
        u = r.utterance
        if "closing" in r.tags and closed_at is None:
            closed_at = n
        if u.event == "hang-up" and u.speaker == "customer" and closed_at is None:
            return "customer-hung-up", n
    complaints = cue_turns.get("complaint", [])
    if complaints:
        last = complaints[-1]
        fixed_after = any(t in SOLVING for r in reviewed[last:] for t in r.tags if t != "follow-up")
        if not fixed_after:
            return "complaint-filed", last
    if "end-abusive-call" in said:
        return "agent-ended", None
    if "escalate" in said:
        return "escalated", None
    if "transfer-with-consent" in said:
        return "transferred", None
    if ("follow-up" in said or "create-ticket" in said) and "concrete-timeframe" in said:
        return "resolved-with-follow-up", None  # a follow-up without a time resolves nothing
    if any(t in said for t in ("propose-solution", "offer-options", "step-by-step")):
        return "resolved", None
    return None, None


def _phase_findings(
    reviewed: list[ReviewedUtterance], tags: Mapping[str, TagDef], lang: Lang
) -> list[Finding]:
    first: dict[str, int] = {}
    for n, r in enumerate(reviewed, start=1):
        for t in r.tags:
            tdef = tags[t]
            if tdef.phase and sum(tdef.points.values()) > 0:
                first.setdefault(tdef.phase, n)
    out: list[Finding] = []
    latest = 0
    for phase in PHASES:
        name = _m(lang, f"phase_{phase}")
        turn = first.get(phase)
        if turn is None:
            out.append(Finding(f"phase-missed:{phase}", None, _m(lang, "phase-missed", phase=name)))
        elif turn < latest:
            out.append(
                Finding(
                    f"phase-out-of-order:{phase}", turn, _m(lang, "phase-out-of-order", phase=name)
                )
            )
        else:
            latest = turn
    return out


def _cue_findings(
    reviewed: list[ReviewedUtterance],
    cue_turns: Mapping[str, list[int]],
    first_tag: Mapping[str, int],
    lang: Lang,
) -> list[Finding]:
    out: list[Finding] = []

    def after(turn: int, wanted: Sequence[str]) -> bool:
        return any(t in wanted for r in reviewed[turn:] for t in r.tags)

    upset = sorted(
        cue_turns.get("upset", []) + cue_turns.get("complaint", []) + cue_turns.get("abuse", [])
    )
    if upset and not any(t in first_tag for t in ("empathy", "apology")):
        out.append(Finding("no-empathy", upset[0], _m(lang, "no-empathy", turn=upset[0])))
    threats = cue_turns.get("threat", [])
    if threats and not after(threats[0], ("escalate",)):
        out.append(
            Finding("escalation-missed", threats[0], _m(lang, "escalation-missed", turn=threats[0]))
        )
    abuse = cue_turns.get("abuse", [])
    if abuse and not after(abuse[0], ("warn-abuse",)):
        out.append(
            Finding("abuse-not-warned", abuse[0], _m(lang, "abuse-not-warned", turn=abuse[0]))
        )
    return out


def _language_findings(
    reviewed: list[ReviewedUtterance], tags: Mapping[str, TagDef], lang: Lang
) -> list[Finding]:
    out: list[Finding] = []
    for n, r in enumerate(reviewed, start=1):
        for h in r.hits:
            if r.utterance.speaker != "agent" or h.tag not in LANGUAGE_TAGS:
                continue
            tdef = tags[h.tag]
            better = tdef.better.get(lang) if tdef.better else ""
            message = _m(
                lang, "language", turn=n, said=h.text, name=tdef.name.get(lang), better=better
            )
            out.append(Finding(f"language:{h.tag}", n, message))
    return out


def _loops(
    reviewed: list[ReviewedUtterance],
    cue_turns: Mapping[str, list[int]],
    tags: Mapping[str, TagDef],
    lang: Lang,
) -> tuple[list[bool], list[Finding]]:
    """One concern from the start (the agent's opening question invites it), a new one at
    each "new concern" cue of the customer."""
    starts = sorted({1, *cue_turns.get("new-concern", [])})
    bounds = [*starts[1:], len(reviewed) + 1]
    complete: list[bool] = []
    out: list[Finding] = []
    for i, (start, end) in enumerate(zip(starts, bounds, strict=True), start=1):
        progress = 0
        order: tuple[int, str, str] | None = None
        done: set[str] = set()
        for n in range(start, end):
            for t in reviewed[n - 1].tags:
                tdef = tags[t]
                if not tdef.loop or sum(tdef.points.values()) <= 0:
                    continue
                done.add(tdef.loop)
                index = LOOP_STEPS.index(tdef.loop)
                if index == progress:
                    progress = min(progress + 1, len(LOOP_STEPS))
                elif index > progress and order is None:
                    order = (n, tdef.loop, LOOP_STEPS[progress])
        is_complete = progress == len(LOOP_STEPS)
        complete.append(is_complete)
        missing = [s for s in LOOP_STEPS if s not in done]
        if missing:
            steps = _m(lang, "sep").join(_m(lang, f"step_{s}") for s in missing)
            out.append(
                Finding(
                    "loop-incomplete",
                    start,
                    _m(lang, "loop-incomplete", n=i, turn=start, steps=steps),
                )
            )
        elif order is not None and not is_complete:
            turn, step, before = order
            out.append(
                Finding(
                    "loop-order",
                    turn,
                    _m(
                        lang,
                        "loop-order",
                        n=i,
                        turn=turn,
                        step=_m(lang, f"step_{step}"),
                        before=_m(lang, f"step_{before}"),
                    ),
                )
            )
        else:
            out.append(Finding("loop-complete", start, _m(lang, "loop-complete", n=i, turn=start)))
    return complete, out


def _three_yes(
    reviewed: list[ReviewedUtterance], first_tag: Mapping[str, int], said: Counter[str], lang: Lang
) -> list[Finding]:
    if not any(t in first_tag for t in YES_TAGS):
        return []
    out: list[Finding] = []
    turns = [first_tag[t] for t in YES_TAGS if t in first_tag]
    if turns != sorted(turns):
        out.append(Finding("three-yes-order", None, _m(lang, "three-yes-order")))
    ask = first_tag.get("yes-step-3")
    if ask is not None and any(first_tag.get(t, 10**6) > ask for t in YES_TAGS[:2]):
        out.append(Finding("three-yes-early", ask, _m(lang, "three-yes-early", turn=ask)))
    if "room-to-refuse" not in said:
        out.append(Finding("no-room-to-refuse", None, _m(lang, "no-room-to-refuse")))
    return out


def _service_level(
    said: Counter[str], outcome: str | None, loops: list[bool], tags: Mapping[str, TagDef]
) -> str:
    """The five service levels (domain §11), decided as the debrief decides them."""
    answered = any(tags[t].loop == "feedback" for t in said)
    solved = (
        outcome in GOOD_OUTCOMES
        and any(t in said for t in SOLVING)
        and ("confirm-solution" in said or outcome != "resolved")
    )
    complete = solved and bool(loops) and all(loops)
    if complete and "proactive-offer" in said:
        return "extended"
    if complete:
        return "complete"
    if solved:
        return "solve"
    return "answer" if answered else "none"

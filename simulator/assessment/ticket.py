"""The ticket task (工单, domain §12): a form filled after a call, scored against the
call's facts.

Every criterion is a rule a trainer can read (docs/assessment.md): the customer's
name, contact and account as the case file shows them; a follow-up time written to
the minute on the 24-hour clock; the priority the call's outcome calls for; no
subjective judgements of the customer; the steps taken, in order; a specific
description; nothing left empty. Criteria that do not apply to a case (no account on
file) are left out, and the rest share the points.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from simulator.scenario.model import LANGS, Lang, Scenario
from simulator.scenario.text import strip_control

FIELDS: tuple[str, ...] = (
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
PRIORITIES: tuple[str, ...] = ("high", "medium", "low")
PROBLEM_TYPES: tuple[str, ...] = ("fault", "billing", "complaint", "enquiry", "request", "other")
MAX_FIELD = 2000

# The priority a call's outcome calls for (None: the call did not end).
PRIORITY_BY_OUTCOME: dict[str | None, str] = {
    "escalated": "high",
    "complaint-filed": "high",
    "customer-hung-up": "high",
    "transferred": "medium",
    "resolved-with-follow-up": "medium",
    None: "medium",
    "resolved": "low",
    "agent-ended": "low",
}

# Judgements of the customer a ticket must not hold ("the customer is unreasonable").
SUBJECTIVE: dict[Lang, tuple[str, ...]] = {
    "zh": (
        "无理取闹",
        "不讲理",
        "蛮横",
        "态度恶劣",
        "态度很差",
        "素质",
        "难缠",
        "刁难",
        "脾气",
        "神经",
        "胡搅蛮缠",
        "故意找茬",
        "找茬",
        "撒谎",
        "骗子",
        "奇葩",
        "烦人",
        "啰嗦",
        "笨",
        "傻",
        "疯",
    ),
    "en": (
        "unreasonable",
        "rude",
        "crazy",
        "annoying",
        "difficult customer",
        "stupid",
        "liar",
        "lying",
        "hysterical",
        "nasty",
        "idiot",
        "troublemaker",
        "impossible customer",
        "moaning",
        "whining",
    ),
}
_AM_PM = re.compile(r"\d\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])")
_AFTERNOON = ("下午", "中午", "晚上", "傍晚", "afternoon", "evening", "tonight")
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)")
_STEP_NUMBER = re.compile(r"^\s*(?:第\s*)?(\d{1,2})\s*(?:[.、)）:：]|步)")
_HONORIFICS = re.compile(
    r"(先生|女士|小姐|阿姨|大爷|大妈|老师|师傅|^mrs?\.?\s+|^ms\.?\s+|^miss\s+)"
)

_MESSAGES: dict[Lang, dict[str, str]] = {
    "zh": {
        "complete_ok": "各栏都已填写。",
        "complete_missing": "以下栏目空着：{fields}。",
        "name_ok": "客户姓名正确。",
        "name_bad": "客户姓名与档案不符（档案：{expected}）。",
        "contact_ok": "联系方式正确。",
        "contact_bad": "联系方式与档案不符（档案：{expected}）。",
        "account_ok": "账号正确。",
        "account_bad": "账号与档案不符（档案：{expected}）。",
        "priority_ok": "优先级与案情相符（{expected}）。",
        "priority_bad": "优先级应为“{expected}”：通话结果是{outcome}。",
        "follow_up_ok": "回访时间精确到分钟，24 小时制。",
        "follow_up_none": "没有写到分钟的回访时间（如 14:00）。",
        "follow_up_12h": "回访时间用了 12 小时制的说法（{word}），应写成 24 小时制，如 14:00。",
        "objective_ok": "描述客观，没有主观评价。",
        "objective_bad": "有对客户的主观评价：{words}。只写事实。",
        "steps_ok": "处理步骤按顺序分条写出。",
        "steps_few": "处理步骤应分条写出（至少两步，每步一行）。",
        "steps_order": "处理步骤的编号或时间不是按先后顺序排列的。",
        "description_ok": "问题描述具体。",
        "description_short": "问题描述太笼统：写清现象、时间和影响。",
        "high": "高",
        "medium": "中",
        "low": "低",
        "unfinished": "未结束",
        "c_complete": "各栏完整",
        "c_name": "客户姓名",
        "c_contact": "联系方式",
        "c_account": "账号",
        "c_priority": "优先级",
        "c_follow_up": "回访时间（24 小时制）",
        "c_objective": "客观描述",
        "c_steps": "处理步骤有序",
        "c_description": "问题描述具体",
        "f_name": "客户姓名",
        "f_contact": "联系方式",
        "f_account": "账号",
        "f_problem_type": "问题类型",
        "f_priority": "优先级",
        "f_description": "问题描述",
        "f_actions": "已采取的处理",
        "f_solution": "解决方案／下一步",
        "f_follow_up": "回访时间",
    },
    "en": {
        "complete_ok": "Every field is filled in.",
        "complete_missing": "These fields are empty: {fields}.",
        "name_ok": "The customer's name is right.",
        "name_bad": "The customer's name does not match the file (on file: {expected}).",
        "contact_ok": "The contact number is right.",
        "contact_bad": "The contact number does not match the file (on file: {expected}).",
        "account_ok": "The account is right.",
        "account_bad": "The account does not match the file (on file: {expected}).",
        "priority_ok": "The priority fits the case ({expected}).",
        "priority_bad": "The priority should be '{expected}': the call ended {outcome}.",
        "follow_up_ok": "The follow-up time is to the minute, on the 24-hour clock.",
        "follow_up_none": "No follow-up time to the minute (e.g. 14:00).",
        "follow_up_12h": "The follow-up time uses the 12-hour clock ({word}): write e.g. 14:00.",
        "objective_ok": "The wording is factual, with no judgement of the customer.",
        "objective_bad": "Judgements of the customer: {words}. Write facts only.",
        "steps_ok": "The steps taken are listed one by one, in order.",
        "steps_few": "List the steps taken one per line (at least two).",
        "steps_order": "The steps' numbers or times are not in order.",
        "description_ok": "The description is specific.",
        "description_short": "The description is too vague: say what happens, since when, "
        "and what it affects.",
        "high": "high",
        "medium": "medium",
        "low": "low",
        "unfinished": "unfinished",
        "c_complete": "Every field filled in",
        "c_name": "Customer name",
        "c_contact": "Contact",
        "c_account": "Account",
        "c_priority": "Priority",
        "c_follow_up": "Follow-up time (24-hour clock)",
        "c_objective": "Factual wording",
        "c_steps": "Steps in order",
        "c_description": "Specific description",
        "f_name": "Customer name",
        "f_contact": "Contact",
        "f_account": "Account",
        "f_problem_type": "Problem type",
        "f_priority": "Priority",
        "f_description": "Description",
        "f_actions": "Actions taken",
        "f_solution": "Solution / next step",
        "f_follow_up": "Follow-up time",
    },
}

# Points of each criterion, out of 100 when every one applies.
WEIGHTS: dict[str, int] = {
    "complete": 10,
    "name": 10,
    "contact": 10,
    "account": 5,
    "priority": 15,
    "follow_up": 15,
    "objective": 15,
    "steps": 10,
    "description": 10,
}
MIN_DESCRIPTION = 20


def criterion_name(lang: Lang, criterion: str) -> str:
    return _MESSAGES[lang].get(f"c_{criterion}", criterion)


def field_name(lang: Lang, field: str) -> str:
    """A form field's label, for the TUI's ticket form and the reports."""
    return _MESSAGES[lang].get(f"f_{field}", field)


def priority_name(lang: Lang, priority: str) -> str:
    return _MESSAGES[lang].get(priority, priority)


class TicketError(ValueError):
    """A ticket form that is not a mapping of known fields to text."""


def clean_form(form: Mapping[str, Any]) -> dict[str, str]:
    """The form as stored: known fields only, text without control characters."""
    out: dict[str, str] = {}
    for key, value in form.items():
        if key not in FIELDS:
            raise TicketError(f"unknown ticket field '{key}' (fields: {', '.join(FIELDS)})")
        if not isinstance(value, str):
            raise TicketError(f"ticket field '{key}' must be text")
        text = strip_control(value).strip()
        if len(text) > MAX_FIELD:
            raise TicketError(f"ticket field '{key}' is over {MAX_FIELD} characters")
        out[key] = text
    return out


@dataclass(frozen=True, slots=True)
class TicketCase:
    """What the ticket is checked against: the case file and how the call ended."""

    scenario_id: str
    name: tuple[str, str]  # zh, en as on file
    contact: str | None
    account: str | None
    outcome: str | None

    @property
    def priority(self) -> str:
        return PRIORITY_BY_OUTCOME.get(self.outcome, "medium")

    @classmethod
    def of(cls, scenario: Scenario, outcome: str | None) -> TicketCase:
        facts = scenario.customer
        name = facts["name"]
        contact = facts.get("phone") or facts.get("contact")
        account = facts.get("account")
        return cls(
            scenario.id,
            (name.zh, name.en),
            contact.zh if contact else None,
            account.zh if account else None,
            outcome,
        )


@dataclass(frozen=True, slots=True)
class Finding:
    criterion: str
    ok: bool
    message: str
    weight: int


@dataclass(frozen=True, slots=True)
class TicketScore:
    findings: tuple[Finding, ...]

    @property
    def share(self) -> Fraction:
        top = sum(f.weight for f in self.findings)
        got = sum(f.weight for f in self.findings if f.ok)
        return Fraction(got, top) if top else Fraction(0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "criteria": [
                {"criterion": f.criterion, "ok": f.ok, "message": f.message, "weight": f.weight}
                for f in self.findings
            ]
        }


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _compact(text: str) -> str:
    return re.sub(r"[\s\-_./()（）]", "", _norm(text))


def _name_core(name: str) -> str:
    return _compact(_HONORIFICS.sub("", _norm(name)))


def name_matches(expected: tuple[str, str], written: str) -> bool:
    got = _compact(written)
    if not got:
        return False
    cores = [c for c in (_name_core(expected[0]), _name_core(expected[1])) if c]
    return any(core in got for core in cores)


def masked_matches(expected: str, written: str) -> bool:
    """``written`` is the number on file: masked digits (``*``) may be written as ``*`` or
    as any digit, every shown digit must be there."""
    want, got = _compact(expected), _compact(written)
    if not got:
        return False
    pattern = "".join("[0-9*]" if ch == "*" else re.escape(ch) for ch in want)
    return re.fullmatch(pattern, got) is not None


def _steps(text: str) -> list[str]:
    lines = [ln.strip() for ln in re.split(r"[\n;；]+", text) if ln.strip()]
    if len(lines) == 1:
        # "1. … 2. … 3. …" on one line.
        parts = re.split(r"\s(?=(?:第\s*)?\d{1,2}\s*(?:[.、)）]|步))", " " + lines[0])
        lines = [p.strip() for p in parts if p.strip()]
    return lines


def _in_order(steps: list[str]) -> bool:
    numbers = [int(m.group(1)) for s in steps if (m := _STEP_NUMBER.match(s))]
    if numbers and numbers != sorted(numbers):
        return False
    times = []
    for s in steps:
        m = _TIME.search(s)
        if m:
            times.append(int(m.group(1)) * 60 + int(m.group(2)))
    return times == sorted(times)


def score_ticket(case: TicketCase, form: Mapping[str, str], lang: Lang) -> TicketScore:
    msg = _MESSAGES[lang]
    f = {k: (form.get(k) or "").strip() for k in FIELDS}
    findings: list[Finding] = []

    def add(criterion: str, ok: bool, key: str, **values: object) -> None:
        findings.append(Finding(criterion, ok, msg[key].format(**values), WEIGHTS[criterion]))

    needed = [k for k in FIELDS if k != "account" or case.account is not None]
    empty = [k for k in needed if not f[k]]
    add(
        "complete",
        not empty,
        "complete_missing" if empty else "complete_ok",
        fields=", ".join(empty),
    )
    name_ok = name_matches(case.name, f["name"])
    add("name", name_ok, "name_ok" if name_ok else "name_bad", expected=case.name[lang == "en"])
    if case.contact is not None:
        ok = masked_matches(case.contact, f["contact"])
        add("contact", ok, "contact_ok" if ok else "contact_bad", expected=case.contact)
    if case.account is not None:
        ok = masked_matches(case.account, f["account"])
        add("account", ok, "account_ok" if ok else "account_bad", expected=case.account)
    expected = case.priority
    outcome = msg["unfinished"] if case.outcome is None else case.outcome
    prio_ok = _norm(f["priority"]) in {expected, *(_MESSAGES[lg][expected] for lg in LANGS)}
    add(
        "priority",
        prio_ok,
        "priority_ok" if prio_ok else "priority_bad",
        expected=msg[expected],
        outcome=outcome,
    )
    follow = _norm(f["follow_up"])
    twelve = _twelve_hour(follow)
    if twelve:
        add("follow_up", False, "follow_up_12h", word=twelve)
    else:
        ok = _TIME.search(follow) is not None
        add("follow_up", ok, "follow_up_ok" if ok else "follow_up_none")
    body = _norm(" ".join((f["description"], f["actions"], f["solution"])))
    judged = [w for lng in LANGS for w in SUBJECTIVE[lng] if _word_in(w, body, cjk=lng == "zh")]
    add(
        "objective",
        not judged,
        "objective_bad" if judged else "objective_ok",
        words=", ".join(dict.fromkeys(judged)),
    )
    steps = _steps(f["actions"])
    if len(steps) < 2:
        add("steps", False, "steps_few")
    else:
        ok = _in_order(steps)
        add("steps", ok, "steps_ok" if ok else "steps_order")
    specific = len(_compact(f["description"])) >= MIN_DESCRIPTION
    add("description", specific, "description_ok" if specific else "description_short")
    return TicketScore(tuple(findings))


def _twelve_hour(text: str) -> str | None:
    """The 12-hour wording in a time, if any: '3 pm', or '下午2:00' (an afternoon hour
    written below 13)."""
    m = _AM_PM.search(text)
    if m:
        return m.group(0)
    for t in _TIME.finditer(text):
        before = text[max(0, t.start() - 12) : t.start()]
        word = next((w for w in _AFTERNOON if w in before), None)
        if word is not None and int(t.group(1)) <= 12:
            return f"{word} {t.group(0)}".strip()
    return None


def _word_in(word: str, text: str, *, cjk: bool) -> bool:
    w = _norm(word)
    if cjk:
        return w in text
    return re.search(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", text) is not None

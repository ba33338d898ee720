"""UI strings in both languages. Every key exists in zh and en (a test checks it)."""

from __future__ import annotations

import os

from simulator.scenario.model import Lang

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "customer": "客户",
        "you": "你",
        "feedback": "反馈",
        "best_reply": "更好的回答",
        "points": "得分",
        "mood": "情绪",
        "ending": "通话结束",
        "outcome": "结果",
        "score": "总分",
        "passed": "通过",
        "failed": "未通过",
        "unfinished": "通话未结束（回答在此停止）",
        "capped": "封顶原因",
        "seed": "随机种子",
        "choose": "请选择回答（1-{n}，q 退出）：",
        "not_a_choice": "请输入 1 到 {n} 之间的数字。",
        "quit": "已退出，通话未结束。",
        "brief": "情景说明",
        "goal": "目标",
        "scenarios": "情景列表",
        "no_problems": "{n} 个文件，没有发现问题。",
        "problems_found": "发现 {n} 个问题。",
        "col_id": "编号",
        "col_title": "标题",
        "col_persona": "客户类型",
        "col_difficulty": "难度",
        "col_kind": "类型",
        "inbound": "呼入",
        "outbound": "外呼",
        "return-visit": "回访",
        "basic": "基础",
        "intermediate": "中级",
        "advanced": "高级",
        "expression": "表达与措辞",
        "process": "流程掌握",
        "solving": "问题解决",
        "emotion": "情绪管理",
        "resolved": "已解决",
        "resolved-with-follow-up": "已解决（待跟进）",
        "escalated": "已升级",
        "transferred": "已转接",
        "customer-hung-up": "客户挂断",
        "agent-ended": "坐席结束通话（辱骂）",
        "complaint-filed": "客户投诉",
        "no_tui": "（图形界面将在后续版本提供；现在可用 calldrill play 练习。）",
    },
    "en": {
        "customer": "Customer",
        "you": "You",
        "feedback": "Feedback",
        "best_reply": "Better reply",
        "points": "Points",
        "mood": "Mood",
        "ending": "Call ended",
        "outcome": "Outcome",
        "score": "Score",
        "passed": "passed",
        "failed": "not passed",
        "unfinished": "call unfinished (the replies stop here)",
        "capped": "capped by",
        "seed": "seed",
        "choose": "Your reply (1-{n}, q to quit): ",
        "not_a_choice": "Type a number from 1 to {n}.",
        "quit": "Left the call unfinished.",
        "brief": "Briefing",
        "goal": "Goal",
        "scenarios": "Scenarios",
        "no_problems": "{n} files, no problems found.",
        "problems_found": "{n} problems found.",
        "col_id": "id",
        "col_title": "title",
        "col_persona": "persona",
        "col_difficulty": "difficulty",
        "col_kind": "kind",
        "inbound": "inbound",
        "outbound": "outbound",
        "return-visit": "return visit",
        "basic": "basic",
        "intermediate": "intermediate",
        "advanced": "advanced",
        "expression": "Expression & wording",
        "process": "Process",
        "solving": "Problem solving",
        "emotion": "Emotion management",
        "resolved": "resolved",
        "resolved-with-follow-up": "resolved, follow-up booked",
        "escalated": "escalated",
        "transferred": "transferred",
        "customer-hung-up": "customer hung up",
        "agent-ended": "agent ended the call (abuse)",
        "complaint-filed": "complaint filed",
        "no_tui": "(The full-screen app comes in a later release; "
        "practise with `calldrill play` now.)",
    },
}


def t(lang: Lang, key: str, **values: object) -> str:
    text = STRINGS[lang][key]
    return text.format(**values) if values else text


def default_lang() -> Lang:
    """CALLDRILL_LANG, else the locale; Chinese unless the locale says English."""
    for var in ("CALLDRILL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value.startswith("en"):
            return "en"
        if value.startswith("zh"):
            return "zh"
    return "zh"

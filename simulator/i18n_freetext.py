"""UI strings of free-text mode (typed replies), merged into simulator.i18n.STRINGS."""

from __future__ import annotations

FREETEXT_STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "free_text": "自由输入",
        "free_text_on": "自由输入：开（用自己的话回答，不显示选项）",
        "free_text_off": "自由输入：关（从选项中选择回答）",
        "free_text_toggle": "切换自由输入模式",
        "free_text_mode": "自由输入",
        "type_reply": "用自己的话输入回答，按回车发送",
        "typed_empty": "请先输入回答。",
        "understood_as": "理解为",
        "similarity": "相似度",
        "rules_fired": "规则",
        "rule_added": "增加",
        "rule_removed": "去掉",
        "better_phrasing": "更好的说法",
        "you_typed": "你输入的",
        "misunderstood_line": "不好意思，您是什么意思？我没听明白。",
        "misunderstood_note": "客户没听懂（相似度 {sim}，需要 {need}）："
        "{var} {delta:+d}。换个说法再试。",
        "misunderstood_count": "客户没听懂的回答：{n} 次",
        "misunderstood_before": "之前没听懂：",
        "show_choices_after_miss": "参考选项（练习模式，没听懂后显示）：",
        "type_reply_cli": "你的回答（用自己的话说，q 退出）：",
    },
    "en": {
        "free_text": "Free text",
        "free_text_on": "Free text: on (reply in your own words, no list shown)",
        "free_text_off": "Free text: off (pick a reply from the list)",
        "free_text_toggle": "Toggle free-text mode",
        "free_text_mode": "free text",
        "type_reply": "Type your reply in your own words, Enter to send",
        "typed_empty": "Type a reply first.",
        "understood_as": "Understood as",
        "similarity": "similarity",
        "rules_fired": "Rules",
        "rule_added": "added",
        "rule_removed": "removed",
        "better_phrasing": "Better phrasing",
        "you_typed": "You typed",
        "misunderstood_line": "Sorry, what do you mean? I don't follow.",
        "misunderstood_note": "The customer did not understand (similarity {sim}, needs {need}): "
        "{var} {delta:+d}. Try saying it another way.",
        "misunderstood_count": "Replies the customer did not understand: {n}",
        "misunderstood_before": "Not understood before: ",
        "show_choices_after_miss": "Replies to compare (practice, shown after a miss):",
        "type_reply_cli": "Your reply (in your own words, q to quit): ",
    },
}

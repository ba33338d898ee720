"""UI strings of the exam in the TUI and the ticket form, merged into simulator.i18n.STRINGS."""

from __future__ import annotations

EXAM_TUI_STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "exam_app_title": "calldrill 考核 · {candidate}",
        "exam_resumed": "已恢复上次中断的考核：题目、顺序和剩余时间不变。",
        "exam_not_saved": "答案未能保存：{why}",
        "exam_time_up": "“{section}”时间到，本部分已结束，未作答的题目记 0 分。",
        "exam_candidate_line": "考生：{candidate}",
        "exam_rules": (
            "考核模式：没有提示、没有逐题反馈、不能撤回。每个答案都会立即保存；"
            "每部分有独立的倒计时，时间到即自动交卷。"
        ),
        "exam_section_done": "已完成",
        "exam_section_next": "下一部分",
        "exam_section_later": "未开始",
        "exam_section_line": "{count} 题 · {minutes} 分钟 · 及格 {percent}%",
        "exam_start_section": "开始：{section}（开始计时）",
        "exam_over": "考核结束",
        "exam_verdict": "结果：{verdict}",
        "exam_section_score": "{earned} / {max} 分（{percent}%，及格 {need}%）· {verdict}",
        "exam_result_saved": "已签名的成绩文件：{path}",
        "exam_result_failed": "成绩文件未能写入：{why}（成绩已保存在数据库中）",
        "exam_result_unsigned": (
            "成绩已保存在数据库中；讲师可用 `calldrill exam result` 导出签名文件。"
        ),
        "exam_quit_note": "按 Ctrl+Q 退出。",
        "exam_theory_keys": (
            "数字键选择选项（多选题再按一次取消）· PageDown 下一题 · PageUp 上一题 · "
            "简答题输入后按回车 · Ctrl+S 交卷"
        ),
        "exam_clock": "{section} · 剩余 {left}",
        "exam_time_left": "剩余时间 {left}",
        "exam_question_of": "第 {n}/{total} 题 · 已答 {done} · {kind} · {points} 分",
        "exam_short_placeholder": "在此输入答案，回车保存",
        "exam_yes": "交卷",
        "exam_no": "继续作答",
        "exam_submit_confirm": "交卷后不能再修改本部分。还有 {n} 题未答。确定交卷？",
        "exam_submit_calls_confirm": "交卷后不能再修改本部分。还有 {n} 通电话未完成。确定交卷？",
        "exam_submit_tickets_confirm": "交卷后不能再修改本部分。还有 {n} 张工单未填写。确定交卷？",
        "exam_calls_intro": "选择一通电话开始（回车）。电话可以中途离开，稍后继续。",
        "exam_call_new": "未开始",
        "exam_call_going": "进行中",
        "exam_call_done": "已结束",
        "exam_tickets_intro": "为每通模拟电话填写工单（回车打开）。左侧是客户档案。",
        "exam_ticket_new": "未填写",
        "exam_ticket_written": "已填写",
        "exam_start_paused": "考核已暂停：用同样的命令再次运行即可继续（剩余时间不变）。",
        "exam_start_done": "考核已完成：{verdict}。",
        "ticket_case_file": "客户档案",
        "ticket_intro": (
            "填写工单：事实清楚、客观描述，处理步骤分条按顺序写，回访时间用 24 小时制。"
        ),
        "ticket_follow_up_hint": "例如 明天 14:00",
        "ticket_choose": "请选择",
        "ticket_type_fault": "故障",
        "ticket_type_billing": "账务",
        "ticket_type_complaint": "投诉",
        "ticket_type_enquiry": "咨询",
        "ticket_type_request": "业务办理",
        "ticket_type_other": "其他",
        "ticket_score": "工单得分：{percent}%",
        "ticket_open": "填写工单",
    },
    "en": {
        "exam_app_title": "calldrill exam · {candidate}",
        "exam_resumed": "The interrupted exam is resumed: same items, same order, same time left.",
        "exam_not_saved": "The answer could not be saved: {why}",
        "exam_time_up": (
            "Time is up for '{section}': the section is closed; unanswered items score 0."
        ),
        "exam_candidate_line": "Candidate: {candidate}",
        "exam_rules": (
            "Exam mode: no hints, no feedback per item, no undo. Every answer is saved at "
            "once; each section has its own countdown and is handed in when it runs out."
        ),
        "exam_section_done": "done",
        "exam_section_next": "next",
        "exam_section_later": "not started",
        "exam_section_line": "{count} items · {minutes} min · pass {percent}%",
        "exam_start_section": "Start: {section} (the clock starts)",
        "exam_over": "The exam is over",
        "exam_verdict": "Result: {verdict}",
        "exam_section_score": "{earned} / {max} points ({percent}%, pass {need}%) · {verdict}",
        "exam_result_saved": "Signed result file: {path}",
        "exam_result_failed": (
            "The result file could not be written: {why} (the result is in the store)"
        ),
        "exam_result_unsigned": (
            "The result is saved in the store; an instructor can export the signed file "
            "with `calldrill exam result`."
        ),
        "exam_quit_note": "Press Ctrl+Q to quit.",
        "exam_theory_keys": (
            "Number keys choose (press again to unselect in multiple choice) · PageDown next · "
            "PageUp previous · Enter saves a short answer · Ctrl+S hands the section in"
        ),
        "exam_clock": "{section} · {left} left",
        "exam_time_left": "Time left {left}",
        "exam_question_of": "Question {n}/{total} · answered {done} · {kind} · {points} pt",
        "exam_short_placeholder": "Type the answer here; Enter saves it",
        "exam_yes": "Hand in",
        "exam_no": "Keep working",
        "exam_submit_confirm": (
            "A section handed in cannot be changed. {n} questions are unanswered. Hand it in?"
        ),
        "exam_submit_calls_confirm": (
            "A section handed in cannot be changed. {n} calls are not finished. Hand it in?"
        ),
        "exam_submit_tickets_confirm": (
            "A section handed in cannot be changed. {n} tickets are empty. Hand it in?"
        ),
        "exam_calls_intro": (
            "Pick a call to take (Enter). You may leave a call and come back to it."
        ),
        "exam_call_new": "not started",
        "exam_call_going": "in progress",
        "exam_call_done": "finished",
        "exam_tickets_intro": (
            "Write a ticket for each simulated call (Enter opens it); the case file is on the left."
        ),
        "exam_ticket_new": "empty",
        "exam_ticket_written": "written",
        "exam_start_paused": (
            "The exam is paused: run the same command again to go on (the time left is kept)."
        ),
        "exam_start_done": "The exam is finished: {verdict}.",
        "ticket_case_file": "Case file",
        "ticket_intro": (
            "Write the ticket: facts, no judgements, the steps taken one per line in order, "
            "a follow-up time on the 24-hour clock."
        ),
        "ticket_follow_up_hint": "e.g. tomorrow 14:00",
        "ticket_choose": "Choose",
        "ticket_type_fault": "fault",
        "ticket_type_billing": "billing",
        "ticket_type_complaint": "complaint",
        "ticket_type_enquiry": "enquiry",
        "ticket_type_request": "service request",
        "ticket_type_other": "other",
        "ticket_score": "Ticket score: {percent}%",
        "ticket_open": "Write a ticket",
    },
}

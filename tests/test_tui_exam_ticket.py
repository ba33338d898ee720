"""The ticket form after a practice call: `t` on the debrief opens it beside the case
file, Ctrl+S scores it at once against the call's facts and lists every criterion."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from simulator.assessment.ticket import TicketCase
from simulator.engine import CallPlot
from simulator.scenario.model import Library
from simulator.tui.app import CalldrillApp
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.exam_ticket import TicketFormScreen
from tests.conftest import best_pick, play_greedy

SCENARIO = "angry-card-declined"


def fill(form: TicketFormScreen, values: dict[str, str]) -> None:
    for name, value in values.items():
        widget = form.query_one(f"#ticket-{name}")
        if isinstance(widget, Input):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = value
        else:
            assert isinstance(widget, Select)
            widget.value = value


async def test_the_ticket_form_after_a_practice_call_is_scored_at_once(
    library: Library,
) -> None:
    sc = library.scenarios[SCENARIO]
    call = play_greedy(CallPlot(sc, library.tags, library.rubric).new_call(1), best_pick)
    case = TicketCase.of(sc, call.outcome)
    app = CalldrillApp(library, "zh", still=True)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(DebriefScreen(call, mode="practice"))
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TicketFormScreen)
        facts = str(form.query_one("#ticket-facts-text", Static).render())
        assert case.name[0] in facts  # the case file beside the form
        fill(
            form,
            {
                "name": case.name[0],
                "contact": case.contact or "",
                "account": case.account or "",
                "problem_type": "billing",
                "priority": case.priority,
                "description": "客户在超市结账时信用卡被拒，原因是风控冻结了她本人的境外消费。",
                "actions": "1. 10:02 核实身份\n2. 10:05 查询风控记录\n3. 10:08 解除冻结",
                "solution": "已解除冻结，建议境外消费前报备。",
                "follow_up": "明天 14:00 回访\x1b[2J",
            },
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        findings = str(form.query_one("#ticket-findings", Static).render())
        assert "工单得分：" in findings and "✓" in findings
        assert form.form()["follow_up"] == "明天 14:00 回访[2J"  # the escape character is gone
        fill(form, {"priority": "low" if case.priority != "low" else "high"})
        fill(form, {"description": "客户无理取闹，说信用卡不能用，态度恶劣。"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        findings = str(form.query_one("#ticket-findings", Static).render())
        assert "✗" in findings and "无理取闹" in findings
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)

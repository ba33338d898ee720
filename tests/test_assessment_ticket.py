"""The ticket task (domain §12): the good ticket of the notes scores full marks, the bad
one does not, and each rule says what was wrong."""

from __future__ import annotations

import pytest

from simulator.assessment.ticket import (
    PRIORITY_BY_OUTCOME,
    TicketCase,
    TicketError,
    clean_form,
    masked_matches,
    name_matches,
    score_ticket,
)
from simulator.scenario.model import Library

CASE = TicketCase(
    "broadband", ("张先生", "Mr Zhang"), "138****1234", "ZHW86752", "resolved-with-follow-up"
)

# The domain notes' good ticket, field by field.
GOOD = {
    "name": "张先生",
    "contact": "138****1234",
    "account": "ZHW86752",
    "problem_type": "fault",
    "priority": "medium",
    "description": "家庭宽带近 3 天网速慢，下载速度从 50 Mbps 降到约 5 Mbps，三居室 5 台设备。",
    "actions": "1. 指导重启路由器\n2. 远程检测线路，发现小区节点拥塞\n3. 转技术部门工单",
    "solution": "已通知技术团队，预计 24 小时内回复；其间减少同时联网的设备。",
    "follow_up": "明天 14:00 回电",
}
# The bad one: "Customer: Mr Zhang. Problem: slow internet. Handling: told him to restart
# the router. Solution: solved."
BAD = {
    "name": "Mr Zhang",
    "problem_type": "fault",
    "description": "slow internet",
    "actions": "told him to restart the router",
    "solution": "solved",
}


def _failed(form: dict[str, str], case: TicketCase = CASE) -> set[str]:
    return {f.criterion for f in score_ticket(case, form, "en").findings if not f.ok}


def test_the_good_ticket_scores_full_marks() -> None:
    score = score_ticket(CASE, GOOD, "zh")
    assert score.share == 1, [f.message for f in score.findings if not f.ok]


def test_the_bad_ticket_fails_on_every_missing_element() -> None:
    score = score_ticket(CASE, BAD, "en")
    failed = {f.criterion for f in score.findings if not f.ok}
    assert failed == {
        "complete",
        "contact",
        "account",
        "priority",
        "follow_up",
        "steps",
        "description",
    }
    assert score.share == 25 / 100
    missing = next(f for f in score.findings if f.criterion == "complete").message
    assert "contact, account, priority, follow_up" in missing


@pytest.mark.parametrize(
    ("follow_up", "ok"),
    [
        ("明天 14:00 回电", True),
        ("2024-11-15 09:30", True),
        ("下午 14:30", True),
        ("明天下午2:00", False),
        ("tomorrow 2:00 pm", False),
        ("明天下午两点", False),
        ("tomorrow afternoon", False),
    ],
)
def test_follow_up_time_to_the_minute_on_the_24_hour_clock(follow_up: str, ok: bool) -> None:
    assert ("follow_up" not in _failed({**GOOD, "follow_up": follow_up})) is ok


def test_subjective_wording_is_named() -> None:
    score = score_ticket(
        CASE, {**GOOD, "description": GOOD["description"] + "客户无理取闹。"}, "zh"
    )
    finding = next(f for f in score.findings if f.criterion == "objective")
    assert not finding.ok and "无理取闹" in finding.message
    assert "objective" in _failed({**GOOD, "solution": "The customer was rude, call closed."})
    assert "objective" not in _failed({**GOOD, "solution": "Prudent steps; called back."})


def test_steps_must_be_listed_and_in_order() -> None:
    assert "steps" in _failed({**GOOD, "actions": "restarted the router"})
    assert "steps" not in _failed({**GOOD, "actions": "1. restart 2. line check 3. ticket"})
    assert "steps" in _failed({**GOOD, "actions": "2. line check\n1. restart"})
    assert "steps" in _failed({**GOOD, "actions": "10:05 line check\n09:58 restart"})


def test_customer_data_as_on_file() -> None:
    assert name_matches(("张先生", "Mr Zhang"), "张")
    assert name_matches(("王秀兰阿姨", "Mrs Wang Xiulan"), "wang xiulan")
    assert not name_matches(("张先生", "Mr Zhang"), "李先生")
    assert masked_matches("138****1234", "138 **** 1234")
    assert masked_matches("138****1234", "13812341234")  # the full number fits the mask
    assert not masked_matches("138****1234", "138****1235")
    assert masked_matches("6259 **** **** 4076", "6259********4076")
    assert {"name", "contact", "account"} <= _failed(
        {**GOOD, "name": "李", "contact": "1", "account": "X"}
    )


def test_priority_follows_the_outcome() -> None:
    assert TicketCase("x", ("a", "a"), None, None, "escalated").priority == "high"
    assert TicketCase("x", ("a", "a"), None, None, "resolved").priority == "low"
    assert TicketCase("x", ("a", "a"), None, None, None).priority == "medium"
    assert set(PRIORITY_BY_OUTCOME.values()) == {"high", "medium", "low"}
    assert "priority" not in _failed({**GOOD, "priority": "中"})  # the Chinese word counts


def test_a_case_without_an_account_leaves_that_rule_out(library: Library) -> None:
    case = TicketCase.of(library.scenarios["transfer-four-steps"], "transferred")
    assert case.account is None and case.contact == "138****6619"
    form = {**GOOD, "name": "王秀兰", "contact": "138****6619", "account": ""}
    score = score_ticket(case, form, "en")
    assert "account" not in {f.criterion for f in score.findings}
    assert score.share == 1


def test_forms_are_cleaned_and_checked() -> None:
    assert clean_form({"name": " 张\x1b[31m先生 "}) == {"name": "张[31m先生"}
    with pytest.raises(TicketError, match="unknown ticket field 'nmae'"):
        clean_form({"nmae": "x"})
    with pytest.raises(TicketError):
        clean_form({"name": 3})

"""The debrief's findings on real playthroughs and on hand-made calls."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simulator.engine import CallPlot
from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.scoring.debrief import DEBRIEF_VERSION, debrief
from tests.builders import scenario_yaml
from tests.conftest import best_pick, play_greedy, worst_pick

MakePlot = Callable[[str, str], CallPlot]


def test_best_path_of_angry_delivery(plots: dict[str, CallPlot], library: Library) -> None:
    call = play_greedy(plots["angry-delivery"].new_call(0), best_pick)
    d = debrief(call, "en", library.scenarios.values()).as_dict()
    assert d["debrief_version"] == DEBRIEF_VERSION
    assert [p["status"] for p in d["phases"]] == ["done"] * 5
    assert d["language"] == []
    loops = {lp["concern"]: lp for lp in d["loops"]}
    assert all(lp["complete"] and lp["in_order"] for lp in d["loops"]), loops
    assert d["service_level"]["level"] == "extended"
    assert loops["late-parcel"]["findings"] == ["Listen, feedback and confirm, in that order."]
    assert d["service_level"]["rank"] >= 2
    assert len(d["review"]) == len(call.turns) and all(r["is_best"] for r in d["review"])
    assert d["practice"]["strengths"]


def test_worst_path_names_each_failure_with_its_turn(
    plots: dict[str, CallPlot], library: Library
) -> None:
    call = play_greedy(plots["angry-delivery"].new_call(0), worst_pick)
    d = debrief(call, "en", library.scenarios.values()).as_dict()
    bad_tags = {
        t for turn in call.turns for t in turn.tags if sum(library.tags[t].points.values()) < 0
    }
    named = {(f["turn"], f["tag"]) for f in d["language"]}
    for turn in call.turns:
        for tag in turn.tags:
            if tag in bad_tags and tag != "interrupt":
                assert (turn.number, tag) in named
    assert all(f["better"] for f in d["language"])
    late = next(lp for lp in d["loops"] if lp["concern"] == "late-parcel")
    assert "Turn 1: you interrupted, which broke the listening." in late["findings"]
    assert not late["complete"] and late["model_loop"]
    assert d["score"]["caps"] == ["outcome:customer-hung-up"]
    assert any(p["status"] == "missed" for p in d["phases"])
    assert d["practice"]["practise"]
    curve = d["mood"]["series"]["anger"]
    assert len(curve) == len(call.turns) + 1 and curve[-1] > curve[0]


def test_feedback_before_listening_is_named(make_plot: MakePlot) -> None:
    plot = make_plot(
        "order",
        scenario_yaml(
            "order",
            "demanding",
            {
                "a": [("fix", ["propose-solution"], "b"), ("ask", ["open-question"], "b")],
                "b": [("ask", ["open-question"], "c"), ("check", ["confirm-understanding"], "c")],
                "c": [
                    ("check", ["confirm-understanding", "closing"], "done"),
                    ("bye", ["closing"], "done"),
                ],
            },
            {"done": "resolved", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
        ),
    )
    call = plot.new_call(0)
    for cid in ("fix", "ask", "check"):
        call.reply(cid)
    loop = debrief(call, "en").as_dict()["loops"][0]
    # Every step happened, but not as a loop: the fix came before the listening.
    assert not loop["complete"] and not loop["in_order"]
    assert {s["step"] for s in loop["steps"]} == {"listen", "feedback", "confirm"}
    assert loop["findings"] == [
        "Turn 1: feedback came before listen: you proposed a fix before hearing and "
        "confirming the problem."
    ]
    assert [m["step"] for m in loop["model_loop"]] == ["listen", "feedback", "confirm"]
    zh = debrief(call, "zh").as_dict()["loops"][0]
    assert zh["findings"][0].startswith("第 1 轮先做了“反馈”")


def test_three_yes_ladder_and_ethics(make_plot: MakePlot) -> None:
    three = 'three_yes: {goal: {zh: "升级套餐", en: "Upgrade the plan"}}'
    plot = make_plot(
        "yes",
        scenario_yaml(
            "yes",
            "demanding",
            {
                "a": [("ask-now", ["yes-step-3", "pressure"], "b"), ("fact", ["yes-step-1"], "b")],
                "b": [("benefit", ["yes-step-2"], "c"), ("fact", ["yes-step-1"], "c")],
                "c": [
                    ("ask", ["yes-step-3", "room-to-refuse"], "done"),
                    ("bye", ["closing"], "done"),
                ],
            },
            {"done": "resolved", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
            extra=three,
        ),
    )
    pushy = plot.new_call(0)
    pushy.reply("ask-now")
    pushy.reply("fact")
    ladder = debrief(pushy, "en").as_dict()["three_yes"]
    assert ladder["ask_too_early"] and not ladder["rising"]
    assert any("pressure" in e for e in ladder["ethics"])
    good = plot.new_call(0)
    for cid in ("fact", "benefit", "ask"):
        good.reply(cid)
    ladder = debrief(good, "en").as_dict()["three_yes"]
    assert ladder["rising"] and not ladder["ask_too_early"] and ladder["ethical"]
    assert [r["turn"] for r in ladder["rungs"]] == [1, 2, 3]
    assert "room to think" not in " ".join(ladder["ethics"])


def test_scenario_without_three_yes_has_no_ladder(plots: dict[str, CallPlot]) -> None:
    call = plots["angry-delivery"].new_call(0)
    assert debrief(call, "en").as_dict()["three_yes"] is None


_IDS = sorted(load_library(bundled_dir()).scenarios)


@pytest.mark.parametrize("sid", _IDS)
def test_best_path_debrief_of_every_bundled_scenario(plots: dict[str, CallPlot], sid: str) -> None:
    call = play_greedy(plots[sid].new_call(0), best_pick)
    d = debrief(call, "zh").as_dict()
    assert [p["status"] for p in d["phases"]] == ["done"] * 5, d["phases"]
    raised = [lp for lp in d["loops"] if lp["raised"]]
    assert raised and all(lp["complete"] and lp["in_order"] for lp in raised), raised
    assert d["language"] == []
    assert d["service_level"]["rank"] >= 2
    if d["three_yes"] is not None:
        ladder = d["three_yes"]
        assert ladder["rising"] and not ladder["ask_too_early"] and ladder["ethics"] == []


@pytest.mark.parametrize("sid", _IDS)
@pytest.mark.parametrize("seed", [0, 1])
def test_worst_and_mixed_paths_name_each_failure_with_its_turn(
    plots: dict[str, CallPlot], library: Library, sid: str, seed: int
) -> None:
    plot = plots[sid]
    worst = play_greedy(plot.new_call(seed), worst_pick)
    # A mixed path: the best reply on even turns, the worst on odd ones.
    mixed = plot.new_call(seed)
    while not mixed.finished and len(mixed.turns) < 60:
        pick = best_pick if len(mixed.turns) % 2 == 0 else worst_pick
        mixed.reply(pick(mixed))
    for call in (worst, mixed):
        d = debrief(call, "en").as_dict()
        named = {(f["turn"], f["tag"]) for f in d["language"]}
        findings = " ".join(f for lp in d["loops"] for f in lp["findings"])
        for turn in call.turns:
            for tag in turn.tags:
                if sum(library.tags[tag].points.values()) >= 0:
                    continue
                if tag == "interrupt":
                    assert f"Turn {turn.number}: you interrupted" in findings or not turn.concern
                else:
                    assert (turn.number, tag) in named, (sid, turn.number, tag)
        if not call.finished or call.outcome in ("customer-hung-up", "complaint-filed"):
            assert not d["score"]["passed"]

"""The rubric on the bundled scenarios and on hand-made transcripts."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import pytest

from simulator.engine import CallPlot
from simulator.scenario.library import Library
from simulator.scoring import score_call
from simulator.scoring.rubric import dimension_tenths
from tests.builders import scenario_yaml
from tests.conftest import best_pick, play_greedy, worst_pick

MakePlot = Callable[[str, str], CallPlot]


def test_library_has_the_two_foundation_scenarios(library: Library) -> None:
    assert "angry-delivery" in library.scenarios
    angry = library.scenarios["angry-delivery"]
    assert (angry.persona.id, angry.difficulty, angry.kind) == ("angry", "advanced", "inbound")
    outbound = [
        s
        for s in library.scenarios.values()
        if s.kind == "outbound" and s.three_yes_goal is not None and s.difficulty == "intermediate"
    ]
    assert outbound, "an intermediate outbound 3-Yes scenario is missing"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_best_path_scores_at_least_90_and_passes(plots: dict[str, CallPlot], seed: int) -> None:
    for sid, plot in plots.items():
        call = play_greedy(plot.new_call(seed), best_pick)
        score = score_call(call)
        assert score.total >= 90, (sid, score)
        assert score.passed, (sid, score)


def test_worst_path_scores_at_most_30(plots: dict[str, CallPlot]) -> None:
    for sid, plot in plots.items():
        call = play_greedy(plot.new_call(0), worst_pick)
        score = score_call(call)
        assert score.total <= 30, (sid, score)
        assert not score.passed


def test_hang_up_and_complaint_endings_never_pass(plots: dict[str, CallPlot]) -> None:
    """Seeded random playthroughs reach the bad endings; none of them may pass."""
    bad_outcomes: set[tuple[str, str]] = set()
    for sid, plot in plots.items():
        for seed in range(400):
            call = plot.new_call(seed)
            step = 0
            while not call.finished and step < 60:
                # Lean towards poor replies so the bad endings are actually reached.
                state = plot.scenario.states[call.state]
                ranked = sorted(
                    state.choices, key=lambda c: sum(plot.points[(state.id, c.id)].values())
                )
                pick = ranked[(seed >> (step % 16)) % 2 if seed % 3 else step % len(ranked)]
                call.reply(pick.id)
                step += 1
            if call.outcome in ("customer-hung-up", "complaint-filed"):
                bad_outcomes.add((sid, call.outcome))
                score = score_call(call)
                assert not score.passed and score.total < score.pass_mark, (sid, seed, score)
                assert f"outcome:{call.outcome}" in score.caps
            call.close()
    for sid in plots:
        assert {o for s, o in bad_outcomes if s == sid}, f"{sid}: no bad ending reached"


def test_score_is_share_of_points_on_offer(make_plot: MakePlot) -> None:
    plot = make_plot(
        "share",
        scenario_yaml(
            "share",
            "demanding",
            {
                "a": [("good", ["greeting", "self-id"], "b"), ("meh", ["greeting"], "b")],
                "b": [("good", ["closing"], "done"), ("bad", ["argue"], "done")],
            },
            {"done": "resolved", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
        ),
    )
    best = plot.new_call(0)
    best.reply("good")
    best.reply("good")
    assert score_call(best).total == 100
    mixed = plot.new_call(0)
    mixed.reply("meh")  # process 2 of 4 on offer, expression 1 of 1
    mixed.reply("bad")  # emotion -4 with nothing on offer; process 0 of 2, expression 0 of 1
    score = score_call(mixed)
    assert score.earned == {"expression": 1, "process": 2, "solving": 0, "emotion": -4}
    assert score.available == {"expression": 2, "process": 6, "solving": 0, "emotion": 0}
    assert score.dimensions == {
        "expression": 12.5,
        "process": 8.3,
        "solving": 25.0,
        "emotion": 21.0,
    }
    assert score.total == 66.8 and not score.passed


def test_blocker_caps_the_score(make_plot: MakePlot) -> None:
    plot = make_plot(
        "blocker",
        scenario_yaml(
            "blocker",
            "demanding",
            {
                "a": [
                    ("leak", ["privacy-breach", "greeting", "self-id", "closing"], "done"),
                    ("ok", ["greeting"], "done"),
                ]
            },
            {"done": "resolved", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
        ),
    )
    call = plot.new_call(0)
    call.reply("leak")
    score = score_call(call)
    assert "blocker:privacy-breach" in score.caps
    assert score.total <= 40 and not score.passed


def test_pass_mark_is_configurable_per_scenario(make_plot: MakePlot) -> None:
    plot = make_plot(
        "mark",
        scenario_yaml(
            "mark",
            "demanding",
            {
                "a": [
                    ("good", ["greeting", "self-id", "closing"], "done"),
                    ("meh", ["greeting"], "done"),
                ]
            },
            {"done": "resolved", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
            extra="pass_mark: 50",
        ),
    )
    call = plot.new_call(0)
    call.reply("meh")
    score = score_call(call)
    assert score.pass_mark == 50 and score.passed and score.total < 80


def test_dimension_tenths_is_the_exact_share_rounded_half_up() -> None:
    # The integer figure against the rule written with exact fractions: 25 × the share
    # earned (kept within 0..1), or 25 less what was lost when nothing was on offer.
    for available in range(-2, 60):
        for earned in range(-40, 80):
            if available > 0:
                value = 25 * min(Fraction(1), max(Fraction(0), Fraction(earned, available)))
            else:
                value = Fraction(min(25, max(0, 25 + earned)))
            expected = math.floor(value * 10 + Fraction(1, 2))
            assert dimension_tenths(earned, available) == expected, (earned, available)

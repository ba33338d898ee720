"""Each bundled persona reacts to behaviour tags as the domain notes describe (§6)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.engine import CallPlot
from tests.builders import scenario_yaml

MakePlot = Callable[[str, str], CallPlot]

ENDINGS = {"done": "resolved", "gone": "customer-hung-up"}
EVENTS = {"hang-up": "gone"}


def loop_plot(make_plot: MakePlot, persona: str, replies: dict[str, list[str]]) -> CallPlot:
    """Two states that hand the call back and forth, each offering the same replies."""
    choices_a = [(cid, tags, "b") for cid, tags in replies.items()] + [("end", ["closing"], "done")]
    choices_b = [(cid, tags, "a") for cid, tags in replies.items()] + [("end", ["closing"], "done")]
    return make_plot(
        f"p-{persona}",
        scenario_yaml(
            f"p-{persona}", persona, {"a": choices_a, "b": choices_b}, ENDINGS, events=EVENTS
        ),
    )


def test_angry_calms_on_empathy_only_after_venting(make_plot: MakePlot) -> None:
    plot = loop_plot(
        make_plot, "angry", {"feel": ["empathy"], "listen": ["acknowledge"], "cut": ["interrupt"]}
    )
    early = plot.new_call(0)
    early_turn = early.reply("feel")
    vented = plot.new_call(0)
    vented.reply("listen")
    late_turn = vented.reply("feel")
    early_drop = early_turn.mood_before["anger"] - early_turn.mood_after["anger"]
    late_drop = late_turn.mood_before["anger"] - late_turn.mood_after["anger"]
    assert late_drop > early_drop > 0
    assert late_turn.mood_after["trust"] > late_turn.mood_before["trust"]


def test_angry_rises_on_interrupt_and_hangs_up_at_the_limit(make_plot: MakePlot) -> None:
    plot = loop_plot(make_plot, "angry", {"cut": ["interrupt"], "blame": ["blame-customer"]})
    call = plot.new_call(0)
    turn = call.reply("cut")
    assert turn.mood_after["anger"] - turn.mood_before["anger"] == 15
    assert any(c.cause == "tag:interrupt" and c.var == "anger" for c in turn.changes)
    for _ in range(5):
        if call.finished:
            break
        call.reply("blame")
    assert call.outcome == "customer-hung-up"
    assert call.turns[-1].forced_event == "hang-up"


def test_confused_confusion_rises_on_jargon_falls_on_steps(make_plot: MakePlot) -> None:
    plot = loop_plot(
        make_plot,
        "confused",
        {"jargon": ["jargon"], "steps": ["step-by-step", "check-understanding"]},
    )
    call = plot.new_call(0)
    up = call.reply("jargon")
    down = call.reply("steps")
    assert up.mood_after["confusion"] > up.mood_before["confusion"]
    assert down.mood_after["confusion"] - down.mood_before["confusion"] == -16


def test_demanding_penalises_vague_and_rewards_concrete(make_plot: MakePlot) -> None:
    plot = loop_plot(
        make_plot, "demanding", {"vague": ["vague-promise"], "exact": ["concrete-timeframe"]}
    )
    vague = plot.new_call(0).reply("vague")
    exact = plot.new_call(0).reply("exact")
    assert vague.mood_after["trust"] < vague.mood_before["trust"]
    assert vague.mood_after["patience"] < vague.mood_before["patience"]
    assert exact.mood_after["trust"] > exact.mood_before["trust"]


def test_talkative_drifts_every_few_turns_unless_redirected(make_plot: MakePlot) -> None:
    plot = loop_plot(make_plot, "talkative", {"chat": ["acknowledge"], "steer": ["redirect"]})
    drifting = plot.new_call(0)
    asides = [drifting.reply("chat").interjection for _ in range(6)]
    assert asides == [None, None, "drift", None, None, "drift"]
    assert len(drifting.customer_lines) == 2  # the aside, then the state's line
    drifting.reply("chat")
    assert len(drifting.customer_lines) == 1  # an aside is spoken only after the turn it fired
    steered = plot.new_call(0)
    kept = [steered.reply(cid).interjection for cid in ["chat", "chat", "steer", "chat", "chat"]]
    assert kept == [None, None, None, None, None]


def test_talkative_aside_is_spoken_before_the_line(make_plot: MakePlot) -> None:
    plot = loop_plot(make_plot, "talkative", {"chat": ["acknowledge"]})
    call = plot.new_call(2)
    for _ in range(3):
        turn = call.reply("chat")
    assert turn.interjection == "drift"
    lines = call.customer_lines
    assert len(lines) == 2
    assert lines[0] in plot.scenario.persona.interjections[0].lines
    assert any(c.cause == "interjection:drift" and c.var == "focus" for c in turn.changes)


def test_scenario_overrides_persona_numbers(make_plot: MakePlot) -> None:
    text = scenario_yaml(
        "override",
        "angry",
        {"a": [("x", ["interrupt"], "done"), ("y", ["closing"], "done")]},
        ENDINGS,
        events=EVENTS,
        extra="persona_overrides:\n  mood:\n    anger: {start: 90}\n"
        "  reactions:\n    interrupt: {anger: 5}\n",
    )
    plot = make_plot("override", text)
    turn = plot.new_call(0).reply("x")
    assert turn.mood_before["anger"] == 90
    assert turn.mood_after["anger"] == 95


def test_a_persona_cannot_test_scenario_states(tmp_path: Path) -> None:
    """Personas are shared by many scenarios: a `visited` condition naming one
    scenario's state is refused with its position."""
    from simulator.scenario.errors import ScenarioError  # noqa: PLC0415
    from simulator.scenario.loader import load_persona  # noqa: PLC0415
    from simulator.scenario.paths import bundled_dir  # noqa: PLC0415

    text = (bundled_dir() / "personas" / "demanding.yaml").read_text(encoding="utf-8")
    old = "  - tag: vague-promise\n    mood:"
    assert old in text
    path = tmp_path / "demanding.yaml"
    when = "    when: {visited: ask, at_least: 2}\n"
    changed = text.replace(old, old.replace("    mood:", when + "    mood:"))
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_persona(path)
    messages = [str(p) for p in caught.value.problems]
    assert any("cannot test scenario states ('ask')" in m and ":16:" in m for m in messages), (
        messages
    )

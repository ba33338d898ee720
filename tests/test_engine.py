"""The Call: determinism, replies, branches, forced endings, snapshot/restore, undo."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from simulator.engine import Call, CallPlot, NotOffered, RestoreError
from simulator.engine.transcript import transcript_dict
from tests.builders import scenario_yaml

MakePlot = Callable[[str, str], CallPlot]


@pytest.fixture
def branching(make_plot: MakePlot) -> CallPlot:
    return make_plot(
        "branching",
        scenario_yaml(
            "branching",
            "demanding",
            {
                "ask": [
                    ("exact", ["concrete-timeframe"], "check", {"sets": ["time-given"]}),
                    (
                        "vague",
                        ["vague-promise"],
                        [
                            {"when": {"mood": "patience", "at_most": 35}, "next": "angry"},
                            {"next": "check"},
                        ],
                    ),
                    ("blame", ["blame-customer"], "angry"),
                ],
                "check": [
                    (
                        "confirm",
                        ["confirm-solution", "closing"],
                        [
                            {"when": {"event": "time-given"}, "next": "good"},
                            {"next": "ok"},
                        ],
                    ),
                    ("shrug", ["dismissive"], "ok"),
                    ("push", ["pressure"], "angry"),
                ],
                "angry": [
                    ("sorry", ["apology"], "ok"),
                    ("argue", ["argue"], "complaint"),
                ],
            },
            {
                "good": "resolved",
                "ok": "resolved-with-follow-up",
                "complaint": "complaint-filed",
                "gone": "customer-hung-up",
            },
            events={"hang-up": "gone"},
            lines={"ask": 3, "check": 2},
        ),
    )


def test_display_order_is_seeded_and_stable(branching: CallPlot) -> None:
    orders = {seed: [c.id for c in branching.new_call(seed).choices] for seed in range(12)}
    assert orders[3] == [c.id for c in branching.new_call(3).choices]
    assert len({tuple(o) for o in orders.values()}) > 1, "the seed never changes the order"
    assert {o[0] for o in orders.values()} != {"exact"}, "the best reply is always first"


def test_same_seed_and_replies_give_identical_transcripts(branching: CallPlot) -> None:
    def run(seed: int) -> str:
        call = branching.new_call(seed)
        call.reply("exact")
        call.reply("confirm")
        return json.dumps(transcript_dict(call, "zh"), ensure_ascii=False, sort_keys=True)

    assert run(5) == run(5)
    assert any(run(5) != run(s) for s in range(6, 20))


def test_reply_records_points_mood_and_best(branching: CallPlot) -> None:
    call = branching.new_call(0)
    turn = call.reply("vague")
    assert turn.number == 1 and turn.state == "ask" and turn.choice == "vague"
    assert turn.tags == ("vague-promise",)
    assert turn.points["solving"] == -2 and turn.points["expression"] == -1
    assert turn.best == "exact"
    assert turn.available["solving"] == 2
    assert turn.mood_before == {"patience": 50, "trust": 40}
    assert turn.mood_after == {"patience": 35, "trust": 30}
    assert [(c.var, c.delta, c.cause) for c in turn.changes] == [
        ("patience", -15, "tag:vague-promise"),
        ("trust", -10, "tag:vague-promise"),
    ]


def test_branch_on_mood_takes_the_first_that_holds(branching: CallPlot) -> None:
    call = branching.new_call(0)
    call.reply("vague")  # patience 50 -> 35: the at_most 35 branch holds
    assert call.state == "angry"


def test_branch_on_earlier_event(branching: CallPlot) -> None:
    with_time = branching.new_call(0)
    with_time.reply("exact")
    with_time.reply("confirm")
    assert with_time.outcome == "resolved"
    without = branching.new_call(0)
    without.reply("vague")
    without.reply("sorry")
    assert without.finished and without.outcome == "resolved-with-follow-up"


def test_reply_not_on_offer_is_refused(branching: CallPlot) -> None:
    call = branching.new_call(0)
    with pytest.raises(NotOffered):
        call.reply("confirm")  # belongs to another state
    with pytest.raises(NotOffered):
        call.reply_number(4)
    assert call.turns == [] and call.state == "ask"


def test_reply_number_follows_display_order(branching: CallPlot) -> None:
    call = branching.new_call(9)
    second = call.choices[1].id
    assert call.reply_number(2).choice == second


def test_finished_call_offers_nothing(branching: CallPlot) -> None:
    call = branching.new_call(0)
    call.reply("blame")
    call.reply("argue")
    assert call.finished and call.outcome == "complaint-filed"
    assert call.choices == []
    with pytest.raises(NotOffered):
        call.reply_number(1)


def test_persona_threshold_forces_hang_up(make_plot: MakePlot) -> None:
    plot = make_plot(
        "forced",
        scenario_yaml(
            "forced",
            "demanding",
            {
                "a": [("rude", ["pressure", "argue"], "b"), ("fine", ["closing"], "done")],
                "b": [("rude", ["pressure", "argue"], "a"), ("fine", ["closing"], "done")],
            },
            {"done": "resolved", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
        ),
    )
    call = plot.new_call(0)
    call.reply("rude")  # patience 50 - 20 - 15 = 15
    assert not call.finished
    turn = call.reply("rude")  # patience 0: the persona hangs up, whatever the choice's next
    assert turn.forced_event == "hang-up" and turn.next == "gone"
    assert call.outcome == "customer-hung-up"


def test_snapshot_is_json_and_restores_mid_call(branching: CallPlot) -> None:
    call = branching.new_call(11)
    call.reply("exact")
    snap = json.loads(json.dumps(call.snapshot()))
    restored = Call.restore(branching, snap)
    assert restored.state == call.state and restored.mood == call.mood
    assert [c.id for c in restored.choices] == [c.id for c in call.choices]
    call.reply("confirm")
    restored.reply("confirm")
    assert transcript_dict(call, "en") == transcript_dict(restored, "en")


def test_restore_refuses_a_tampered_snapshot(branching: CallPlot) -> None:
    call = branching.new_call(1)
    call.reply("exact")
    snap = call.snapshot()
    with pytest.raises(RestoreError):
        Call.restore(branching, {**snap, "mood": {"patience": 100, "trust": 100}})
    with pytest.raises(RestoreError):
        Call.restore(branching, {**snap, "version": 2})
    with pytest.raises(RestoreError):
        Call.restore(branching, {**snap, "replies": ["nonsense"]})


def test_undo_returns_to_the_previous_turn(branching: CallPlot) -> None:
    call = branching.new_call(4)
    before = (call.state, call.mood, [c.id for c in call.choices], call.customer_line)
    undone = call.undo() if call.reply("vague") else None
    assert undone is not None and undone.choice == "vague"
    assert (call.state, call.mood, [c.id for c in call.choices], call.customer_line) == before
    with pytest.raises(NotOffered):
        call.undo()


def test_calls_share_one_machine(branching: CallPlot) -> None:
    machine = branching.machine
    a, b = branching.new_call(1), branching.new_call(2)
    a.reply("exact")
    assert b.state == "ask" and a.state == "check"
    assert branching.machine is machine
    a.reply("confirm")
    assert a not in machine.models  # finished calls leave the shared machine
    b.close()
    assert b not in machine.models


def test_branch_replays_then_takes_the_other_reply(branching: CallPlot) -> None:
    call = branching.new_call(6)
    call.reply("exact")
    call.reply("confirm")
    other = call.branch(1, "blame")
    assert [t.choice for t in other.turns] == ["blame"] and other.state == "angry"
    assert [t.choice for t in call.turns] == ["exact", "confirm"]  # the original is untouched
    again = call.branch(2, "shrug")
    assert [t.choice for t in again.turns] == ["exact", "shrug"]
    with pytest.raises(NotOffered):
        call.branch(3, "shrug")


def test_a_typed_reply_is_scored_and_replayed_with_the_tags_it_showed(
    plots: dict[str, CallPlot],
) -> None:
    plot = plots["angry-delivery"]
    call = plot.new_call(4)
    first = call.choices[0]
    said = (*first.tags, "taboo-word")
    turn = call.reply(first.id, tags=said, text="我不知道，应该是快递的问题")
    assert turn.tags == said and turn.extra["typed"].startswith("我不知道")
    plain = plot.new_call(4)
    authored = plain.reply(first.id)
    taboo = plot.tags["taboo-word"].points
    for dim in authored.points:
        assert turn.points[dim] == authored.points[dim] + taboo.get(dim, 0)
    assert "taboo-word" in call.history.tags
    call.reply_number(1)
    snap = call.snapshot()
    assert snap["tags"] == {"1": list(said)}
    again = Call.restore(plot, snap)
    assert [t.tags for t in again.turns] == [t.tags for t in call.turns]
    assert again.mood == call.mood
    call.undo()
    assert call.turns[0].tags == said  # undo keeps the typed reply's tags
    with pytest.raises(NotOffered, match="unknown behaviour tags"):
        plot.new_call(4).reply(first.id, tags=["no-such-tag"])

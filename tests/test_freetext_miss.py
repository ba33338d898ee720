"""A typed reply the customer did not understand (free-text mode): its mood cost, kept
with the next turn through undo, snapshots, restore and the store's resume."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from simulator.engine import Call, CallPlot
from simulator.engine.transcript import transcript_dict
from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.scenario.model import MoodVar
from simulator.scoring.debrief import debrief
from simulator.scoring.misunderstood import MISS_PENALTY, miss_effects, miss_variable
from simulator.store.recorder import RecordedCall
from simulator.store.store import Store
from tests.conftest import FIXTURES, best_pick


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(bundled_dir(), [FIXTURES / "valid"])


def plot_of(lib: Library, sid: str = "doc-example") -> CallPlot:
    return CallPlot(lib.scenarios[sid], lib.tags, lib.rubric)


def test_the_penalty_falls_on_patience_else_a_good_high_variable(lib: Library) -> None:
    persona = lib.scenarios["doc-example"].persona
    assert miss_variable(persona) == "patience"
    assert miss_effects(persona) == {"patience": -MISS_PENALTY}
    low = MoodVar("anger", 50, 0, 100, persona.mood["trust"].label, "low")
    high = replace(persona.mood["trust"], id="focus")
    assert miss_variable(replace(persona, mood={"anger": low, "focus": high})) == "focus"
    assert miss_effects(replace(persona, mood={"anger": low})) == {"anger": MISS_PENALTY}
    assert miss_effects(replace(persona, mood={})) == {}


def test_a_miss_costs_mood_now_and_belongs_to_the_next_turn(lib: Library) -> None:
    plot = plot_of(lib)
    call = plot.new_call(3)
    start = call.mood
    effects = miss_effects(call.scenario.persona)
    (change,) = call.misunderstood(effects, "banana")
    assert change.cause == "misunderstood" and call.mood["patience"] == start["patience"] - 5
    assert call.pending_misses == [{"typed": "banana", "mood": effects}]
    snap = call.snapshot()
    assert Call.restore(plot, snap).mood == call.mood  # a pending miss restores too
    turn = call.reply(best_pick(call))
    assert turn.mood_before == start and turn.changes[0].cause == "misunderstood"
    assert turn.extra["misses"] == [{"typed": "banana", "mood": effects}]
    assert call.pending_misses == []
    again = Call.restore(plot, call.snapshot())
    assert again.mood == call.mood and again.turns[0].extra["misses"]
    data = transcript_dict(call, "en")
    assert data["turns"][0]["misunderstood"] == ["banana"]
    assert "did not understand" in data["turns"][0]["changes"][0]["because"]
    assert debrief(call, "en").as_dict()["misunderstood"] == 1
    call.misunderstood(effects, "x")
    call.reply(best_pick(call))
    call.undo()  # takes back the reply and the miss before it
    assert call.mood == again.mood and len(call.turns) == 1


def test_a_bad_snapshot_miss_is_a_restore_error(lib: Library) -> None:
    from simulator.engine.call import RestoreError  # noqa: PLC0415

    plot = plot_of(lib)
    call = plot.new_call(3)
    call.misunderstood({"patience": -5})
    snap = call.snapshot()
    snap["misses"] = {"1": [{"typed": "", "mood": {"nope": -5}}]}
    with pytest.raises(RestoreError):
        Call.restore(plot, snap)


def test_resume_replays_the_misses_from_the_store(lib: Library, tmp_path: Path) -> None:
    plot = plot_of(lib)
    with Store(f"sqlite:///{tmp_path / 'db.sqlite3'}") as store:
        me = store.trainee("Chen", create=True)
        rec = RecordedCall.start(store, me.id, plot.new_call(3), mode="practice", lang="en")
        rec.misunderstood(miss_effects(plot.scenario.persona), "banana")
        choice = best_pick(rec.call)
        rec.reply(
            choice, tags=rec.call.scenario.states[rec.call.state].choice(choice).tags, text="hi"
        )
        (attempt,) = store.open_attempts(me.id)
        back = RecordedCall.resume(store, attempt, plot)
        assert back.call.mood == rec.call.mood
        assert len(back.call.turns[0].extra["misses"]) == 1
        assert back.call.turns[0].extra["typed"] == "hi"


def test_history_replays_a_typed_call_with_misses(lib: Library, tmp_path: Path) -> None:
    from simulator.store.replay import replay  # noqa: PLC0415

    plot = plot_of(lib)
    with Store(f"sqlite:///{tmp_path / 'db.sqlite3'}") as store:
        me = store.trainee("Chen", create=True)
        rec = RecordedCall.start(store, me.id, plot.new_call(3), mode="practice", lang="en")
        rec.misunderstood(miss_effects(plot.scenario.persona), "banana")
        while not rec.call.finished:
            choice = best_pick(rec.call)
            said = (*rec.call.scenario.states[rec.call.state].choice(choice).tags, "vague-promise")
            rec.reply(choice, tags=said, text="typed")
        attempt = store.attempt(rec.attempt.id)
        assert attempt is not None
        again = replay(store, attempt, lib)
        assert again.call is not None, again.why
        assert again.call.mood == rec.call.mood
        assert debrief(again.call, "en").as_dict()["misunderstood"] == 1

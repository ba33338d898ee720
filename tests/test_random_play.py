"""Random reply sequences: every call ends or stays consistent, and replays identically."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine import Call, CallPlot, NotOffered
from simulator.engine.transcript import transcript_dict
from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.scoring import score_call

_LIB: Library = load_library(bundled_dir())
_PLOTS = {sid: CallPlot(sc, _LIB.tags, _LIB.rubric) for sid, sc in sorted(_LIB.scenarios.items())}


def _check_invariants(call: Call) -> None:
    persona = call.scenario.persona
    for var, value in call.mood.items():
        spec = persona.mood[var]
        assert spec.min <= value <= spec.max
    if call.finished:
        assert call.state in call.scenario.endings and call.choices == []
    else:
        assert call.state in call.scenario.states
        assert 1 <= len(call.choices) <= 9
    previous = call.scenario.start
    for turn in call.turns:
        assert turn.state == previous
        previous = turn.next
    score = score_call(call)
    assert 0 <= score.total <= 100
    assert all(0 <= v <= 25 for v in score.dimensions.values())
    if score.passed:
        assert call.finished and not score.caps


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sid=st.sampled_from(sorted(_PLOTS)),
    seed=st.integers(min_value=0, max_value=2**31),
    picks=st.lists(st.integers(min_value=0, max_value=20), max_size=40),
)
def test_random_replies_keep_the_call_consistent(sid: str, seed: int, picks: list[int]) -> None:
    plot = _PLOTS[sid]
    call = plot.new_call(seed)
    for pick in picks:
        if call.finished:
            try:
                call.reply_number(1)
            except NotOffered:
                pass
            else:  # pragma: no cover - a finished call must refuse
                raise AssertionError("a finished call accepted a reply")
            break
        shown = call.choices
        call.reply_number(pick % len(shown) + 1)
        _check_invariants(call)
    _check_invariants(call)
    # The same seed and replies rebuild the same call, byte for byte.
    again = Call.restore(plot, call.snapshot())
    assert transcript_dict(again, "zh") == transcript_dict(call, "zh")
    call.close()
    again.close()


@settings(max_examples=60, deadline=None)
@given(sid=st.sampled_from(sorted(_PLOTS)), seed=st.integers(min_value=0, max_value=10**6))
def test_any_random_walk_reaches_an_ending(sid: str, seed: int) -> None:
    """Seeded random play always ends within a bounded number of replies."""
    call = _PLOTS[sid].new_call(seed)
    for step in range(200):
        if call.finished:
            break
        call.reply_number((seed + step * 7) % len(call.choices) + 1)
    assert call.finished

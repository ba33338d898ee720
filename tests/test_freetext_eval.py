"""The acceptance figures of issue 9 on the evaluation set in tests/eval/ (make eval prints
them): tag precision >= 0.9 and recall >= 0.8 in each language; a good call always
outranks a worse call of the same situation; the expected findings appear."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.eval.metrics import PERSONAS, QUALITIES, Evaluation, evaluate, matching


@pytest.fixture(scope="module")
def ev() -> Evaluation:
    return evaluate()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tag_precision_and_recall(ev: Evaluation, lang: str) -> None:
    tally = ev.tallies[lang]
    assert ev.sizes[lang] >= 40
    assert tally.precision() >= 0.9, tally.misses
    assert tally.recall() >= 0.8, tally.misses


def test_the_set_covers_every_persona_at_every_quality(ev: Evaluation) -> None:
    assert len(ev.calls) >= 12
    seen = Counter((r.call.persona, r.call.quality) for r in ev.calls)
    for persona in PERSONAS:
        for quality in ("good", "bad"):
            assert seen[(persona, quality)] >= 2, (persona, quality)
        assert seen[(persona, "mediocre")] >= 1, persona
    assert {r.call.quality for r in ev.calls} == set(QUALITIES)


def test_a_better_call_outranks_a_worse_one_of_the_same_situation(ev: Evaluation) -> None:
    assert ev.rank_violations() == []


def test_good_calls_pass_and_bad_calls_fail(ev: Evaluation) -> None:
    for r in ev.calls:
        if r.call.quality == "good":
            assert r.total >= 80, r.call.id
        if r.call.quality == "bad":
            assert r.total < 50, r.call.id


def test_expected_findings_appear_and_forbidden_ones_do_not(ev: Evaluation) -> None:
    for r in ev.calls:
        assert r.missing == (), (r.call.id, r.finding_ids)
        assert r.unwanted == (), (r.call.id, r.finding_ids)


def test_typed_replies_are_understood_as_the_intended_choice() -> None:
    cases = matching()
    assert len(cases) >= 20
    wrong = [(c.where, c.expect, c.got, c.similarity) for c in cases if c.got != c.expect]
    assert wrong == []

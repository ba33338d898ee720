"""Reproducible draws: the same seed and candidate give the same exam whatever the file
order (a pinned golden list), other candidates get other items of the same tiers."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from pathlib import Path

import pytest

from simulator.assessment.bank import load_bank
from simulator.assessment.draw import DrawError, Plan, call_seed, candidate_id, draw, rank
from simulator.scenario.model import Library
from tests.exam_fixtures import BANK_DIR, fixture_bank, small_blueprint, write_bank_copy

# Pinned: a change here means every exam drawn before the change would come out different.
GOLDEN_THEORY = [
    "privacy-02",
    "tickets-04",
    "privacy-01",
    "call-phases-08",
    "privacy-08",
    "tickets-05",
    "call-phases-07",
    "call-phases-02",
    "privacy-07",
]
GOLDEN_OPTIONS = {"theory/privacy-01": ("d", "c", "b", "a")}
GOLDEN_RANK = "16c5c1788762c6a0"


def _theory(plan: Plan) -> list[str]:
    return [it.ref for it in plan.sections[0].items]


def test_golden_draw(library: Library) -> None:
    plan = draw(small_blueprint(), fixture_bank(), library.scenarios, "C-001", "golden")
    assert _theory(plan) == GOLDEN_THEORY
    options = {it.key: it.options for it in plan.sections[0].items}
    for key, order in GOLDEN_OPTIONS.items():
        assert options[key] == order
    assert rank("golden", "C-001", "item", "privacy-01").hex()[:16] == GOLDEN_RANK


def test_hash_is_hmac_sha256_of_seed_and_ids() -> None:
    want = hmac.new(
        b"calldrill-exam-draw/1\x00golden", b"C-001\x1fitem\x1fprivacy-01", hashlib.sha256
    ).digest()
    assert rank("golden", "C-001", "item", "privacy-01") == want


def test_same_draw_whatever_the_file_and_item_order(tmp_path: Path, library: Library) -> None:
    bp = small_blueprint()
    plain = draw(bp, fixture_bank(), library.scenarios, "C-001", "golden")
    reversed_bank = load_bank(
        sorted(write_bank_copy(tmp_path / "rev", reverse=True).glob("*.yaml"), reverse=True)
    )
    assert list(reversed_bank.items) != list(fixture_bank().items)
    shuffled_scenarios = dict(reversed(list(library.scenarios.items())))
    again = draw(bp, reversed_bank, shuffled_scenarios, "C-001", "golden")
    assert [[it.as_dict() for it in sp.items] for sp in again.sections] == [
        [it.as_dict() for it in sp.items] for sp in plain.sections
    ]


def test_other_candidates_get_other_items_of_the_same_tiers(library: Library) -> None:
    bp, bank = small_blueprint(), fixture_bank()
    draws = {c: draw(bp, bank, library.scenarios, f"C-{c:03d}", "golden") for c in range(1, 21)}
    theory_sets = {frozenset(_theory(p)) for p in draws.values()}
    assert len(theory_sets) >= 15  # hardly any two candidates share the exact set
    for plan in draws.values():
        tiers = Counter(bank.items[ref].tier for ref in _theory(plan))
        assert tiers == {"basic": 4, "intermediate": 3, "advanced": 2}
        # Spread over the topics: no topic is left out of a 9-item draw from 3 topics.
        assert {bank.items[ref].topic for ref in _theory(plan)} == {
            "call-phases",
            "privacy",
            "tickets",
        }
        calls = list(plan.sections[1].items)
        assert [library.scenarios[it.ref].difficulty for it in calls] == [
            "basic",
            "intermediate",
            "advanced",
        ]
        situations = [it.ref for it in plan.sections[3].items]
        assert all(library.scenarios[r].difficulty == "advanced" for r in situations)
        used = [it.ref for it in calls] + situations
        assert len(set(used)) == len(used)  # no scenario twice in one exam
        assert [it.ref for it in plan.sections[2].items] == [it.ref for it in calls]
    assert len({tuple(it.ref for it in p.sections[1].items) for p in draws.values()}) > 1


def test_the_seed_changes_the_draw(library: Library) -> None:
    bp, bank = small_blueprint(), fixture_bank()
    a = draw(bp, bank, library.scenarios, "C-001", "golden")
    b = draw(bp, bank, library.scenarios, "C-001", "other")
    assert _theory(a) != _theory(b)


def test_candidate_ids_are_normalised() -> None:
    assert candidate_id("  C-001\n") == "C-001"
    assert candidate_id("e\u0301") == "\u00e9"  # NFC: the same id typed two ways
    with pytest.raises(DrawError):
        candidate_id("   ")
    with pytest.raises(DrawError):
        draw(small_blueprint(), load_bank([BANK_DIR]), {}, "C-001", "bad seed!")


def test_call_seed_is_stable() -> None:
    assert call_seed("golden", "C-001", "angry-delivery") == call_seed(
        "golden", "C-001", "angry-delivery"
    )
    assert 0 <= call_seed("golden", "C-001", "angry-delivery") < 2**31

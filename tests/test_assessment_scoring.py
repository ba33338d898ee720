"""Scoring items, sections and the whole exam, as docs/assessment.md states it."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from simulator.assessment.model import Blueprint, KeyPoint, OverallPass, SectionPass
from simulator.assessment.scoring import (
    SectionScore,
    dec,
    fraction_score,
    item_fraction,
    key_point_covered,
    overall,
    score_item,
    section_score,
)
from tests.exam_fixtures import fixture_bank, small_blueprint


def test_single_and_true_false_are_all_or_nothing() -> None:
    bank = fixture_bank()
    single = bank.items["privacy-01"]  # b is right
    assert item_fraction(single, "b") == 1
    assert item_fraction(single, "a") == 0
    assert item_fraction(single, None) == 0
    assert item_fraction(single, ["b"]) == 0  # the wrong shape earns nothing
    tf = bank.items["privacy-02"]  # false
    assert item_fraction(tf, False) == 1
    assert item_fraction(tf, True) == 0
    assert item_fraction(tf, "false") == 0


def test_multiple_choice_all_or_nothing_or_partial() -> None:
    item = fixture_bank().items["privacy-03"]  # a and c are right
    assert item_fraction(item, ["c", "a"]) == 1
    assert item_fraction(item, ["a"]) == 0
    assert item_fraction(item, ["a", "c", "d"]) == 0
    assert item_fraction(item, ["a"], "partial") == Fraction(1, 2)
    assert item_fraction(item, ["a", "d"], "partial") == 0  # a wrong pick cancels a right one
    assert item_fraction(item, ["a", "c", "d"], "partial") == Fraction(1, 2)
    assert item_fraction(item, ["b", "d"], "partial") == 0  # never below zero


def test_short_answers_by_key_points() -> None:
    item = fixture_bank().items["privacy-04"]  # 3 key points, pass_points 2, 2 points
    section = small_blueprint().sections[0]  # 1 point per item
    assert score_item("k", item, "先核实身份", section).earned == Fraction(1, 2)
    full = score_item("k", item, "先验证身份，再说明原因", section)
    assert full.earned == 1 and full.covered == (0, 1)
    capped = score_item("k", item, "verify, because, call back", section)
    assert capped.earned == 1 and capped.covered == (0, 1, 2)
    own = replace(section, points=None)  # the item's own points
    assert score_item("k", item, "核实身份", own).earned == 1 and own.points is None


def test_keyword_matching_rules() -> None:
    kp = KeyPoint(
        text=fixture_bank().items["privacy-04"].key_points[0].text,
        keywords={
            "zh": ("核实身份",),
            "en": ("ticket", "call back"),
        },
    )
    assert key_point_covered(kp, "我会先核实身份。")
    assert key_point_covered(kp, "I opened two TICKETS")  # case, and a word's start
    assert key_point_covered(kp, "we will  CALL\nBACK tomorrow")  # spaces collapse
    assert key_point_covered(kp, "ｔｉｃｋｅｔ")  # full-width letters
    assert not key_point_covered(kp, "a pocketticket")  # not inside a word
    dont = KeyPoint(text=kp.text, keywords={"zh": ("不透露",), "en": ("can't disclose",)})
    assert key_point_covered(dont, "I can’t disclose it")  # a typographic apostrophe
    assert not key_point_covered(kp, "")


def test_decimal_strings_round_half_up() -> None:
    assert dec(Fraction(2, 3)) == "0.67"
    assert dec(Fraction(1, 200)) == "0.01"
    assert dec(Fraction(7)) == "7.00"
    assert dec(Fraction(-1, 3)) == "-0.33"


def test_section_pass_rules() -> None:
    section = small_blueprint().sections[1]  # 60 %
    a = fraction_score("a", Fraction(9, 10), 33)
    b = fraction_score("b", Fraction(3, 10), 33)
    assert section_score(section, [a, b]).passed  # 60 % overall
    strict = replace(section, passing=SectionPass(60, each_percent=50))
    assert not section_score(strict, [a, b]).passed  # one call below half
    assert fraction_score("c", Fraction(3, 2), 10).earned == 10  # capped at the points


def _scores(bp: Blueprint, shares: dict[str, Fraction]) -> dict[str, SectionScore]:
    return {s.id: section_score(s, [fraction_score(s.id, shares[s.id], 10)]) for s in bp.sections}


def test_overall_every_section_or_weighted() -> None:
    bp = small_blueprint()
    shares = {
        "theory": Fraction(9, 10),
        "calls": Fraction(1, 2),
        "tickets": Fraction(1),
        "situations": Fraction(1),
    }
    scores = _scores(bp, shares)
    verdict = overall(bp, scores)
    assert not verdict.passed and verdict.reasons == ("calls",)
    weighted = replace(
        bp, passing=OverallPass("weighted", {"theory": 1, "calls": 1}, 70, ("theory",))
    )
    verdict = overall(weighted, scores)
    assert verdict.passed and verdict.share == Fraction(7, 10)
    shares["theory"] = Fraction(7, 10)  # below its own 80 %: required, so the exam fails
    verdict = overall(weighted, _scores(bp, shares))
    assert not verdict.passed and verdict.reasons == ("theory", "weighted")

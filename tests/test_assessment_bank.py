"""The question bank: loaded with its items typed, and every mistake pinned to
file:line:col with a fix, like scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.assessment.bank import load_bank
from simulator.assessment.model import TOPICS
from simulator.scenario.errors import ScenarioError
from tests.conftest import ROOT
from tests.exam_fixtures import BANK_DIR, fixture_bank

HEAD = "schema_version: 1\ntopic: privacy\nitems:\n"


def _problems(tmp_path: Path, body: str, name: str = "privacy.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_bank([path])
    return [str(p) for p in info.value.problems]


SINGLE = """  - id: privacy-01
    kind: single
    tier: basic
    points: 1
    source: "domain §13"
    question: {zh: 问题？, en: Question?}
    options:
      - {id: a, text: {zh: 甲, en: A}, correct: true}
      - {id: b, text: {zh: 乙, en: B}}
      - {id: c, text: {zh: 丙, en: C}}
    explanation: {zh: 解析, en: Why}
"""


def test_fixture_bank_loads_typed_items() -> None:
    bank = fixture_bank()
    assert len(bank.items) == 27
    item = bank.items["privacy-01"]
    assert item.kind == "single" and item.correct_ids == ("b",) and item.topic == "privacy"
    short = bank.items["privacy-04"]
    assert short.pass_points == 2 and len(short.key_points) == 3
    assert short.key_points[0].keywords["zh"] == ("核实身份", "验证身份")
    assert bank.items["privacy-02"].answer is False
    assert len(bank.digest) == 64


def test_the_bundled_bank_is_valid_and_covers_every_topic() -> None:
    bank = load_bank([ROOT / "scenarios" / "assessment" / "bank"])
    assert len(bank.items) >= 120
    assert {i.topic for i in bank.items.values()} == set(TOPICS)
    assert {i.kind for i in bank.items.values()} == {"single", "multiple", "true-false", "short"}


def test_a_valid_single_item(tmp_path: Path) -> None:
    path = tmp_path / "privacy.yaml"
    path.write_text(HEAD + SINGLE, encoding="utf-8")
    assert load_bank([path]).items["privacy-01"].correct_ids == ("a",)


def test_unknown_key_says_where_and_suggests(tmp_path: Path) -> None:
    problems = _problems(tmp_path, SINGLE.replace("    explanation:", "    explaination:"))
    assert any(
        ":14:5: unknown key 'explaination'" in p and "did you mean 'explanation'" in p
        for p in problems
    ), problems


def test_duplicate_key_is_refused_with_its_line(tmp_path: Path) -> None:
    body = SINGLE.replace("    points: 1\n", "    points: 1\n    points: 2\n")
    problems = _problems(tmp_path, body)
    assert any(":8:5: duplicate key 'points' (first at line 7)" in p for p in problems), problems


def test_single_choice_needs_exactly_one_correct(tmp_path: Path) -> None:
    body = SINGLE.replace("{zh: 乙, en: B}}", "{zh: 乙, en: B}, correct: true}")
    problems = _problems(tmp_path, body)
    assert any(
        ":11:7: " in p and "single choice but has 2 correct options" in p for p in problems
    ), problems


def test_multiple_choice_needs_two_right_and_one_wrong(tmp_path: Path) -> None:
    body = SINGLE.replace("kind: single", "kind: multiple")
    problems = _problems(tmp_path, body)
    assert any("multiple choice with 1 of 3 options correct" in p for p in problems), problems


def test_options_are_lettered_in_order(tmp_path: Path) -> None:
    problems = _problems(tmp_path, SINGLE.replace("{id: b,", "{id: x,"))
    assert any(
        ":12:14: " in p and "option 2 has the id 'x'" in p and "'b'" in p for p in problems
    ), problems


def test_kind_specific_keys_are_checked(tmp_path: Path) -> None:
    body = SINGLE.replace("    explanation:", "    answer: true\n    explanation:")
    problems = _problems(tmp_path, body)
    assert any("is a single item: `answer` belongs to true-false items" in p for p in problems)
    tf = (
        "  - id: privacy-02\n    kind: true-false\n    tier: basic\n    points: 1\n"
        '    source: "s"\n    question: {zh: 问, en: Q}\n    answer: "yes"\n'
        "    explanation: {zh: 解, en: W}\n"
    )
    problems = _problems(tmp_path, tf)
    assert any(":10:13: " in p and "answer must be true or false" in p for p in problems), problems


def test_short_items_check_their_key_points(tmp_path: Path) -> None:
    body = (
        "  - id: privacy-03\n    kind: short\n    tier: advanced\n    points: 2\n"
        '    source: "s"\n    question: {zh: 问, en: Q}\n'
        "    key_points:\n"
        "      - text: {zh: 要点, en: Point}\n"
        "        keywords: {zh: [核实], en: [verify]}\n"
        "      - text: {zh: 要点二, en: Point two}\n"
        "        keywords: {zh: [], en: [reason]}\n"
        "    pass_points: 3\n"
        "    explanation: {zh: 解, en: W}\n"
    )
    problems = _problems(tmp_path, body)
    assert any(":14:24: " in p and "has no zh keywords" in p for p in problems), problems


def test_topic_must_match_the_file_name(tmp_path: Path) -> None:
    problems = _problems(tmp_path, SINGLE, name="tickets.yaml")
    assert any(
        "tickets.yaml:2:8: the file of topic 'privacy' is called tickets.yaml" in p
        for p in problems
    ), problems


def test_item_ids_are_unique_across_the_bank(tmp_path: Path) -> None:
    (tmp_path / "privacy.yaml").write_text(HEAD + SINGLE, encoding="utf-8")
    other = SINGLE.replace("privacy-01", "privacy-01")
    (tmp_path / "tickets.yaml").write_text(
        HEAD.replace("privacy", "tickets") + other, encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as info:
        load_bank([tmp_path])
    assert any(
        "tickets.yaml:4:5: item id 'privacy-01' is already used in privacy.yaml:4" in str(p)
        for p in info.value.problems
    )


def test_unquoted_yaml11_values_in_text_are_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, SINGLE.replace("{zh: 丙, en: C}", "{zh: 丙, en: no}"))
    assert any("would be read as a true/false value" in p for p in problems), problems


def test_hostile_yaml_is_refused_like_scenarios(tmp_path: Path) -> None:
    path = tmp_path / "privacy.yaml"
    path.write_text(HEAD + "  - &a {id: x}\n  - *a\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_bank([path])
    assert "anchors" in str(info.value)


def test_digest_ignores_folder_order_but_not_content(tmp_path: Path) -> None:
    a = load_bank([BANK_DIR])
    b = load_bank(sorted(BANK_DIR.glob("*.yaml"), reverse=True))
    assert a.digest == b.digest
    copy = tmp_path / "bank"
    copy.mkdir()
    for p in BANK_DIR.glob("*.yaml"):
        (copy / p.name).write_bytes(p.read_bytes())
    (copy / "privacy.yaml").write_text(
        (copy / "privacy.yaml").read_text(encoding="utf-8").replace("第1题", "第一题"), "utf-8"
    )
    assert load_bank([copy]).digest != a.digest

"""Exam blueprints: the bundled default mirrors the domain's pre-job exam; mistakes are
pinned to file:line:col; a blueprint the bank or library cannot fill is caught early."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from simulator.assessment.bank import load_bank
from simulator.assessment.blueprint import check_blueprint, load_blueprint
from simulator.scenario.errors import ScenarioError
from simulator.scenario.model import Library
from tests.conftest import ROOT
from tests.exam_fixtures import SMALL, fixture_bank

DEFAULT = ROOT / "scenarios" / "assessment" / "blueprints" / "default.yaml"


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bp.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_blueprint(path)
    return [str(p) for p in info.value.problems]


def test_default_mirrors_the_domain_exam(library: Library) -> None:
    bp = load_blueprint(DEFAULT)
    kinds = [(s.kind, s.count, s.points) for s in bp.sections]
    assert kinds == [
        ("theory", 100, 1),
        ("simulation", 3, 33),
        ("ticket", 3, 20),
        ("situational", 2, 50),
    ]
    theory, calls, tickets, situations = bp.sections
    assert theory.passing.percent == 80
    assert dict(calls.draw.tiers) == {"basic": 1, "intermediate": 1, "advanced": 1}
    assert tickets.draw.after == "calls"
    assert dict(situations.draw.tiers) == {"advanced": 2}
    assert bp.passing.rule == "every-section" and bp.attempts == 1
    bank = load_bank([ROOT / "scenarios" / "assessment" / "bank"])
    assert check_blueprint(bp, bank, library.scenarios) == []


def test_digest_is_the_files_sha256() -> None:
    assert load_blueprint(SMALL).digest == hashlib.sha256(SMALL.read_bytes()).hexdigest()


def test_tier_counts_must_add_up_to_the_count(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("basic: 4,", "basic: 5,")
    problems = _problems(tmp_path, text)
    assert any(":13:7: " in p and "add up to 10, but count is 9" in p for p in problems), problems


def test_unknown_section_kind_suggests(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("kind: simulation", "kind: simulaton")
    problems = _problems(tmp_path, text)
    assert any(":18:11: " in p and "did you mean 'simulation'" in p for p in problems), problems


def test_call_sections_draw_by_difficulty(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("difficulty: {basic: 1,", "tiers: {basic: 1,")
    problems = _problems(tmp_path, text)
    assert any("draws by `difficulty:`, not `tiers:`" in p for p in problems), problems


def test_tickets_follow_an_earlier_call_section(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("{after: calls}", "{after: situations}")
    problems = _problems(tmp_path, text)
    assert any(
        ":30:19: " in p and "'situations' is not an earlier simulation" in p for p in problems
    ), problems
    text = SMALL.read_text(encoding="utf-8").replace(
        "    count: 3\n    draw: {after", "    count: 2\n    draw: {after"
    )
    problems = _problems(tmp_path, text)
    assert any("one ticket per call: set count to 3" in p for p in problems), problems


def test_weighted_rule_names_real_sections(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace(
        "  rule: every-section\n",
        "  rule: weighted\n  weights: {theory: 40, call: 60}\n  percent: 70\n",
    )
    problems = _problems(tmp_path, text)
    assert any("unknown name 'call' in pass weights" in p and "'calls'" in p for p in problems)


def test_weighted_rule_loads(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace(
        "  rule: every-section\n",
        "  rule: weighted\n  weights: {theory: 40, calls: 60}\n  percent: 70\n"
        "  require: [theory]\n",
    )
    path = tmp_path / "bp.yaml"
    path.write_text(text, encoding="utf-8")
    rule = load_blueprint(path).passing
    assert rule.rule == "weighted" and dict(rule.weights) == {"theory": 40, "calls": 60}
    assert rule.require == ("theory",) and rule.percent == 70


def test_points_are_required_outside_theory(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("    points: 33\n", "")
    problems = _problems(tmp_path, text)
    assert any("section 'calls' needs `points:`" in p for p in problems), problems


def test_a_draw_the_bank_cannot_fill_points_at_the_count(tmp_path: Path, library: Library) -> None:
    text = (
        SMALL.read_text(encoding="utf-8")
        .replace(
            "tiers: {basic: 4, intermediate: 3, advanced: 2}",
            "tiers: {basic: 4, intermediate: 3, advanced: 7}",
        )
        .replace("count: 9", "count: 14")
    )
    path = tmp_path / "bp.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check_blueprint(load_blueprint(path), fixture_bank(), None)]
    assert problems == [
        f"{path}:13:42: section 'theory' draws 7 advanced items, but the bank has 6 that fit"
        " — fix: lower the count, widen topics or kinds, or add items to the bank"
    ]


def test_a_draw_the_library_cannot_fill(tmp_path: Path, library: Library) -> None:
    text = (
        SMALL.read_text(encoding="utf-8")
        .replace("{advanced: 2}", "{advanced: 9}")
        .replace("    count: 2\n", "    count: 9\n")
    )
    path = tmp_path / "bp.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check_blueprint(load_blueprint(path), None, library.scenarios)
    assert len(problems) == 1
    assert "draws 9 advanced scenarios" in problems[0].message
    assert "(1 taken by earlier sections)" in problems[0].message

"""`calldrill validate` on the bundled library and on broken files."""

from __future__ import annotations

import re

import pytest

from tests.conftest import FIXTURES, run_cli

BROKEN = FIXTURES / "broken"

# file -> (exit status, a phrase the message must contain, line)
CASES = {
    "bad-yaml": (2, "not valid YAML", 5),
    "duplicate-key": (1, "duplicate key 'kind'", 6),
    "unknown-key": (1, "did you mean 'difficulty'?", 10),
    "dangling-next": (1, "did you mean 'check'?", 45),
    "unreachable-state": (1, "state 'orphan' can never be reached", 134),
    "unknown-tag": (1, "did you mean 'empathy'?", 120),
    "unknown-persona": (1, "did you mean 'demanding'?", 6),
    "bad-condition": (1, "did you mean 'mood'?", 82),
    "unknown-visited-state": (1, "unknown state 'upsett' — fix: did you mean 'upset'?", 82),
    "wrong-types": (1, "must be a whole number, not 'one'", 3),
    "empty-text": (1, "text (en) is empty", 40),
    "missing-language": (1, "missing its English text", 4),
    "alias-bomb": (1, "anchors (`&a`) are not allowed", 2),
    "yaml11-boolean": (1, 'put it in quotes: "no"', 140),
    "deep-nesting": (2, "nesting", 2),
    "not-utf8": (2, "not UTF-8", 4),
    "python-tag": (1, "explicit YAML tags", 3),
    "merge-key": (1, "merge keys", 57),
    "endless-loop": (1, "loop forever", 110),
    "unmapped-persona-event": (1, "on_persona_event", 6),
}


def test_every_broken_fixture_is_covered() -> None:
    assert {p.stem for p in BROKEN.glob("*.yaml")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_is_reported_with_position_and_fix(name: str) -> None:
    status, phrase, line = CASES[name]
    path = BROKEN / f"{name}.yaml"
    result = run_cli("validate", str(path))
    assert result.returncode == status, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    first = result.stdout.splitlines()
    assert first, result.stderr
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+):(\d+): .+ — fix: .+$")
    matches = [pattern.match(row) for row in first]
    assert all(matches), first
    assert any(
        phrase in row and int(m.group(1)) == line
        for row, m in zip(first, matches, strict=True)
        if m
    ), first


def test_bundled_library_is_clean() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_missing_file_is_unusable_input() -> None:
    result = run_cli("validate", "no/such/file.yaml")
    assert result.returncode == 2
    assert "no such file" in result.stdout
    assert "Traceback" not in result.stderr


def test_valid_fixture_folder_is_clean() -> None:
    result = run_cli("validate", str(FIXTURES / "valid"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_several_paths_report_all_problems() -> None:
    result = run_cli(
        "validate", str(BROKEN / "unknown-tag.yaml"), str(BROKEN / "dangling-next.yaml")
    )
    assert result.returncode == 1
    assert "unknown-tag.yaml" in result.stdout and "dangling-next.yaml" in result.stdout

"""The YAML reader refuses what could hurt: aliases, tags, duplicates, depth, size."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.scenario import yamlsafe
from simulator.scenario.errors import ScenarioError
from simulator.scenario.reader import Reader, strip_control
from simulator.scenario.yamlsafe import YMap, YScalar, YSeq, read_yaml


def _read(text: str) -> yamlsafe.YNode:
    return read_yaml(Path("t.yaml"), text.encode())


def _error(text: str | bytes) -> ScenarioError:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ScenarioError) as info:
        read_yaml(Path("t.yaml"), data)
    return info.value


def test_tree_keeps_positions_and_plainness() -> None:
    root = _read("a: 1\nb:\n  - 'x'\n  - y\n")
    assert isinstance(root, YMap)
    knode, value = root.items["b"]
    assert (knode.mark.line, knode.mark.column) == (2, 1)
    assert isinstance(value, YSeq)
    first, second = value.items
    assert isinstance(first, YScalar) and not first.plain and first.value == "x"
    assert isinstance(second, YScalar) and second.plain and second.mark.line == 4


def test_duplicate_key_names_both_lines() -> None:
    err = _error("a: 1\nb: 2\na: 3\n")
    assert "duplicate key 'a' (first at line 1)" in str(err)
    assert err.problems[0].mark.line == 3


@pytest.mark.parametrize("text", ["a: &x 1\nb: 2\n", "a: [1]\nb: *a\n"])
def test_anchors_and_aliases_are_refused(text: str) -> None:
    with pytest.raises(ScenarioError):
        _read(text)


def test_merge_key_is_refused() -> None:
    assert "merge keys" in str(_error("a:\n  <<: {b: 1}\n"))


def test_quoted_merge_word_is_a_plain_key() -> None:
    root = _read('a:\n  "<<": 1\n')
    assert isinstance(root, YMap)


def test_explicit_tags_are_refused() -> None:
    assert "explicit YAML tags" in str(_error("a: !!binary aGVsbG8=\n"))
    assert "explicit YAML tags" in str(_error("a: !custom x\n"))


def test_block_nesting_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "".join(f"{'  ' * i}k:\n" for i in range(40)) + "  " * 40 + "v: 1\n"
    assert "nesting deeper than 32" in str(_error(deep))


def test_pure_python_parser_is_bounded_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "_Loader", yaml.SafeLoader)
    err = _error("a: " + "[" * 5000 + "]" * 5000)
    assert "nesting deeper than 32" in str(err)


def test_size_is_bounded() -> None:
    err = _error("a: " + "x" * (yamlsafe.MAX_BYTES + 1))
    assert err.unusable and "limit" in str(err)


def test_long_scalar_is_refused() -> None:
    assert "too long" in str(_error("a: " + "x" * (yamlsafe.MAX_SCALAR + 1) + "\n"))


def test_multiple_documents_are_refused() -> None:
    assert "more than one YAML document" in str(_error("a: 1\n---\nb: 2\n"))


def test_empty_file_is_unusable() -> None:
    assert _error("").unusable
    assert _error("# only a comment\n").unusable


def test_missing_file_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        read_yaml(tmp_path / "nope.yaml")
    assert info.value.unusable


@pytest.mark.parametrize("value", ["no", "Yes", "off", "~", "12:30", "2024-05-01", "0x1F", "1e3"])
def test_yaml11_readings_must_be_quoted_in_text(value: str) -> None:
    node = _read(f"v: {value}\n")
    assert isinstance(node, YMap)
    reader = Reader(Path("t.yaml"))
    assert reader.string(node.items["v"][1], "v") is None
    assert f'put it in quotes: "{value}"' in str(reader.problems[0])


def test_quoted_yaml11_words_are_text() -> None:
    node = _read('v: "no"\n')
    assert isinstance(node, YMap)
    assert Reader(Path("t.yaml")).string(node.items["v"][1], "v") == "no"


def test_control_characters_are_stripped_but_markup_is_kept() -> None:
    raw = "[@click=app.quit]x[/] \x1b]0;pwned\x07 \u202eabc \x1b[31mred"
    cleaned = strip_control(raw)
    assert "\x1b" not in cleaned and "\x07" not in cleaned and "\u202e" not in cleaned
    assert cleaned.startswith("[@click=app.quit]x[/]")


def test_problems_do_not_stop_at_the_first() -> None:
    node = _read("a: {zh: '', fr: x}\n")
    assert isinstance(node, YMap)
    reader = Reader(Path("t.yaml"))
    assert reader.text(node.items["a"][1], "title") is None
    messages = " | ".join(str(p) for p in reader.problems)
    assert "unknown language 'fr'" in messages
    assert "missing its English text" in messages
    assert "(zh) is empty" in messages

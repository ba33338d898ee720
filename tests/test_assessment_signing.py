"""Signed results: valid as signed and when re-indented; any edited field, a flipped
signature byte, a wrong key, a duplicate key or an added field makes them invalid."""

from __future__ import annotations

import base64
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator.assessment.exam import Exam
from simulator.assessment.signing import (
    PRIVATE_NAME,
    PUBLIC_NAME,
    SigningError,
    canonical,
    dumps,
    generate,
    load_private,
    load_public,
    sign,
    verify,
)
from simulator.scenario.model import Library
from tests.exam_fixtures import FakeClock, fixture_bank, sit, small_blueprint


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    generate(folder)
    return folder


@pytest.fixture(scope="module")
def result(library: Library) -> dict[str, Any]:
    exam = Exam.new(
        small_blueprint(), fixture_bank(), library, "C-001", "golden", clock=FakeClock()
    )
    sit(exam)
    return exam.result()


def _signed(keys: Path, result: dict[str, Any]) -> dict[str, Any]:
    return sign(result, load_private(keys / PRIVATE_NAME))


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _leaves(v, (*path, n))
    else:
        yield path, value


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return "x"
    return str(value) + "1"


def test_keygen_writes_a_private_key_only_its_owner_reads(keys: Path) -> None:
    mode = stat.S_IMODE((keys / PRIVATE_NAME).stat().st_mode)
    assert mode == 0o600
    assert b"PUBLIC KEY" in (keys / PUBLIC_NAME).read_bytes()
    with pytest.raises(SigningError, match="already exists"):
        generate(keys)


def test_a_signed_result_verifies_also_reindented(keys: Path, result: dict[str, Any]) -> None:
    public = load_public(keys / PUBLIC_NAME)
    doc = _signed(keys, result)
    assert verify(dumps(doc).encode(), public).valid
    compact = json.dumps(doc, separators=(",", ":"), ensure_ascii=True)
    assert verify(compact.encode(), public).valid
    shuffled = json.dumps(
        {"signature": doc["signature"], "result": dict(reversed(list(doc["result"].items())))},
        indent=7,
        ensure_ascii=False,
    )
    assert verify(shuffled.encode("utf-8"), public).valid


def test_changing_any_field_breaks_the_signature(keys: Path, result: dict[str, Any]) -> None:
    public = load_public(keys / PUBLIC_NAME)
    doc = _signed(keys, result)
    leaves = list(_leaves(doc["result"]))
    assert len(leaves) > 100
    for path, value in leaves:
        tampered = json.loads(json.dumps(doc))
        node = tampered["result"]
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = _changed(value)
        check = verify(json.dumps(tampered).encode(), public)
        assert not check.valid, path
        assert any("does not match the result" in p for p in check.problems), (path, check)
    for key in doc["result"]:
        removed = {**doc, "result": {k: v for k, v in doc["result"].items() if k != key}}
        assert not verify(json.dumps(removed).encode(), public).valid, key


def test_a_flipped_signature_byte_or_a_wrong_key_fails(
    keys: Path, result: dict[str, Any], tmp_path: Path
) -> None:
    public = load_public(keys / PUBLIC_NAME)
    doc = _signed(keys, result)
    raw = bytearray(base64.b64decode(doc["signature"]["value"]))
    for n in (0, 31, 63):
        flipped = bytearray(raw)
        flipped[n] ^= 0x01
        doc2 = {
            **doc,
            "signature": {**doc["signature"], "value": base64.b64encode(flipped).decode()},
        }
        check = verify(json.dumps(doc2).encode(), public)
        assert not check.valid and "does not match" in check.problems[-1]
    generate(tmp_path)
    other = load_public(tmp_path / PUBLIC_NAME)
    check = verify(dumps(doc).encode(), other)
    assert not check.valid
    assert any("the key given is" in p for p in check.problems)
    assert any("does not match" in p for p in check.problems)


def test_files_that_are_not_what_was_signed(keys: Path, result: dict[str, Any]) -> None:
    public = load_public(keys / PUBLIC_NAME)
    doc = _signed(keys, result)
    text = dumps(doc)
    dup = text.replace('"candidate": "C-001",', '"candidate": "C-001",\n    "candidate": "C-666",')
    assert "appears twice" in verify(dup.encode(), public).problems[0]
    extra = json.dumps({**doc, "note": "approved by HR"})
    assert "outside the signed result" in verify(extra.encode(), public).problems[0]
    unsigned = json.dumps({"result": doc["result"]})
    assert "never signed" in verify(unsigned.encode(), public).problems[-1]
    floaty = json.dumps(
        {**doc, "result": {**doc["result"], "total": {**doc["result"]["total"], "max": 100.0}}}
    )
    assert any("floating-point" in p for p in verify(floaty.encode(), public).problems)
    assert "not a readable result" in verify(b"\xff\xfe", public).problems[0]
    short = {**doc, "signature": {**doc["signature"], "value": "AAAA"}}
    assert any("64" in p for p in verify(json.dumps(short).encode(), public).problems)


def test_keys_are_checked(keys: Path, tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="this is the private key"):
        load_public(keys / PRIVATE_NAME)
    junk = tmp_path / "junk.pem"
    junk.write_text("hello", encoding="utf-8")
    with pytest.raises(SigningError, match="not a private key"):
        load_private(junk)
    with pytest.raises(SigningError, match="cannot read"):
        load_public(tmp_path / "missing.pub")


def test_canonical_form_is_sorted_compact_utf8() -> None:
    assert canonical({"b": 1, "a": ["中", True, None]}) == '{"a":["中",true,null],"b":1}'.encode()
    with pytest.raises(SigningError):
        canonical({"x": 1.5})

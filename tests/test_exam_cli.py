"""`calldrill exam …` in a real subprocess: keys, checks, draws, signed results from the
store, verification, the candidate report and the cohort table, with their exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from simulator.scenario.model import Library
from simulator.store.exams import open_exam
from simulator.store.store import Store
from tests.conftest import run_cli
from tests.exam_fixtures import BANK_DIR, SMALL, FakeClock, fixture_bank, sit, small_blueprint
from tests.test_assessment_draw import GOLDEN_THEORY

SMALL_ARGS = ["--blueprint", str(SMALL), "--bank", str(BANK_DIR)]


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    r = run_cli("exam", "keygen", "-o", str(folder))
    assert r.returncode == 0, r.stderr
    assert "key id:" in r.stdout
    return folder


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, library: Library) -> str:
    """A store holding two finished exams: one candidate with a name meant to break
    HTML and spreadsheets."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'calldrill.sqlite3'}"
    with Store(url) as store:
        for cand in ("C-001", '=cmd|"<b>x</b>"'):
            opened = open_exam(
                store,
                small_blueprint(),
                fixture_bank(),
                library,
                cand,
                seed="cli",
                clock=FakeClock(),
            )
            sit(opened.exam)
    return url


def test_keygen_refuses_to_overwrite(keys: Path) -> None:
    assert (keys / "calldrill-exam.key").is_file() and (keys / "calldrill-exam.pub").is_file()
    r = run_cli("exam", "keygen", "-o", str(keys))
    assert r.returncode == 2 and "already exists" in r.stderr


def test_validate_the_bundled_bank_and_blueprints() -> None:
    r = run_cli("exam", "validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no problems found" in r.stderr


def test_validate_reports_file_line_col(tmp_path: Path) -> None:
    bad = tmp_path / "bank" / "privacy.yaml"
    bad.parent.mkdir()
    text = (
        (BANK_DIR / "privacy.yaml")
        .read_text(encoding="utf-8")
        .replace("tier: basic", "tier: basci", 1)
    )
    bad.write_text(text, encoding="utf-8")
    r = run_cli("exam", "validate", str(bad))
    assert r.returncode == 1
    assert f"{bad}:7:11: item 'privacy-01' tier 'basci' is not one of" in r.stdout
    assert "did you mean 'basic'?" in r.stdout
    bad.write_text("items: [", encoding="utf-8")
    r = run_cli("exam", "validate", str(bad))
    assert r.returncode == 2 and "not valid YAML" in r.stdout


def test_validate_a_blueprint_against_a_bank(tmp_path: Path) -> None:
    bp = tmp_path / "bp.yaml"
    bp.write_text(
        SMALL.read_text(encoding="utf-8")
        .replace("intermediate: 3, advanced: 2}", "intermediate: 3, advanced: 20}")
        .replace("count: 9", "count: 27"),
        encoding="utf-8",
    )
    r = run_cli("exam", "validate", str(bp), "--bank", str(BANK_DIR))
    assert r.returncode == 1
    assert "draws 20 advanced items, but the bank has 6 that fit" in r.stdout


def test_draw_shows_the_same_exam_and_no_answers() -> None:
    args = ["exam", "draw", *SMALL_ARGS, "--candidate", "C-001", "--seed", "golden", "--json"]
    first, second = run_cli(*args), run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert [it["key"].split("/")[1] for it in data["sections"][0]["items"]] == GOLDEN_THEORY
    for word in ("correct", "explanation", "key_points", "keywords", "的解析", "Why, for"):
        assert word not in first.stdout
    text = run_cli("exam", "draw", *SMALL_ARGS, "--candidate", "C-001", "--seed", "golden")
    assert text.returncode == 0 and "Theory: 9 items, 20 minutes, pass mark 80%" in text.stdout


def test_draw_usage_errors() -> None:
    r = run_cli("exam", "draw", *SMALL_ARGS, "--candidate", "C-001", "--seed", "no spaces")
    assert r.returncode == 2 and "seed 'no spaces'" in r.stderr
    r = run_cli("exam", "draw", "--blueprint", "nope", "--candidate", "C", "--seed", "1")
    assert r.returncode == 2 and "no bundled blueprint 'nope'" in r.stderr and "default" in r.stderr


def _result(db: str, keys: Path, out: Path, cand: str = "C-001") -> Path:
    r = run_cli(
        "--db", db, "exam", "result", *SMALL_ARGS, "--candidate", cand,
        "--key", str(keys / "calldrill-exam.key"), "-o", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    return out


def test_signed_result_from_the_store_verifies(db: str, keys: Path, tmp_path: Path) -> None:
    path = _result(db, keys, tmp_path / "r.json")
    pub = str(keys / "calldrill-exam.pub")
    r = run_cli("exam", "verify", str(path), "--key", pub)
    assert r.returncode == 0 and "valid signature" in r.stdout and "C-001" in r.stdout
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["result"]["sections"][0]["earned"] = "9.50"
    path.write_text(json.dumps(doc, indent=4), encoding="utf-8")
    r = run_cli("exam", "verify", str(path), "--key", pub)
    assert r.returncode == 1 and "NOT valid" in r.stdout
    assert "the result was changed after signing" in r.stdout
    r = run_cli("exam", "verify", str(path), "--key", str(tmp_path / "none.pub"))
    assert r.returncode == 2 and "cannot read the key" in r.stderr
    r = run_cli("exam", "verify", str(tmp_path / "none.json"), "--key", pub)
    assert r.returncode == 2


def test_result_of_an_unknown_candidate(db: str, keys: Path, tmp_path: Path) -> None:
    r = run_cli(
        "--db", db, "exam", "result", *SMALL_ARGS, "--candidate", "nobody",
        "--key", str(keys / "calldrill-exam.key"),
    )  # fmt: skip
    assert r.returncode == 2 and "no finished attempt" in r.stderr


def test_report_is_escaped_html(db: str, keys: Path, tmp_path: Path) -> None:
    path = _result(db, keys, tmp_path / "r.json", cand='=cmd|"<b>x</b>"')
    out = tmp_path / "r.html"
    r = run_cli(
        "exam", "report", str(path), "--key", str(keys / "calldrill-exam.pub"),
        "--bank", str(BANK_DIR), "-o", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "Signature checked" in page
    assert "Question " in page and "Why, for question" in page  # texts from the bank
    assert "http" not in page.replace("http://www.w3.org", "")  # nothing loaded from afar


def test_cohort_csv(db: str, keys: Path, tmp_path: Path) -> None:
    a = _result(db, keys, tmp_path / "a.json")
    b = _result(db, keys, tmp_path / "b.json", cand='=cmd|"<b>x</b>"')
    r = run_cli("exam", "cohort", str(a), str(b), "--key", str(keys / "calldrill-exam.pub"))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["candidate"] for row in rows] == ["C-001", '\'=cmd|"<b>x</b>"']
    assert rows[0]["theory_max"] == "9" and rows[0]["signature"] == "valid"
    assert rows[0]["passed"] in ("yes", "no")
    assert "strong_topics" in rows[0] and "weak_skills" in rows[0]


def test_allow_abandon_and_attempts(tmp_path: Path, library: Library) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    with Store(url) as store:
        open_exam(store, small_blueprint(), fixture_bank(), library, "C-9", clock=FakeClock())
    r = run_cli("--db", url, "exam", "allow", *SMALL_ARGS, "--candidate", "C-9")
    assert r.returncode == 2 and "no finished attempt" in r.stderr
    r = run_cli("--db", url, "exam", "abandon", *SMALL_ARGS, "--candidate", "C-9")
    assert r.returncode == 0 and "counts as used" in r.stdout
    r = run_cli("--db", url, "exam", "allow", *SMALL_ARGS, "--candidate", "C-9")
    assert r.returncode == 0 and "1 attempts left" in r.stdout
    r = run_cli("--db", url, "exam", "attempts")
    assert r.returncode == 0 and "C-9" in r.stdout and "abandoned" in r.stdout

"""`calldrill play` and `calldrill list`, run as a real subprocess."""

from __future__ import annotations

import json

import pytest

from simulator.engine import CallPlot
from simulator.scenario.library import Library
from tests.conftest import FIXTURES, best_pick, run_cli

DOC = str(FIXTURES / "valid" / "doc-example.yaml")


def _replies_to_end(library: Library, sid: str, seed: int) -> str:
    """Reply numbers that play the best path to its end, for this seed."""
    call = CallPlot(library.scenarios[sid], library.tags, library.rubric).new_call(seed)
    numbers = []
    while not call.finished:
        best = best_pick(call)
        numbers.append(str([c.id for c in call.choices].index(best) + 1))
        call.reply(best)
    return ",".join(numbers)


@pytest.mark.parametrize("sid", ["angry-delivery", "outbound-family-plan"])
def test_same_seed_gives_identical_json(library: Library, sid: str) -> None:
    replies = _replies_to_end(library, sid, 7)
    first = run_cli("play", sid, "--replies", replies, "--seed", "7", "--json")
    second = run_cli("play", sid, "--replies", replies, "--seed", "7", "--json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["finished"] and data["score"]["passed"]
    assert data["score"]["total"] >= 90


@pytest.mark.parametrize("sid", ["angry-delivery", "outbound-family-plan"])
def test_other_seed_changes_only_order_and_variants(library: Library, sid: str) -> None:
    """Playing the same choices under another seed: same states, tags, scores and mood."""
    a_replies = _replies_to_end(library, sid, 1)
    b_replies = _replies_to_end(library, sid, 2)
    a = json.loads(run_cli("play", sid, "--replies", a_replies, "--seed", "1", "--json").stdout)
    b = json.loads(run_cli("play", sid, "--replies", b_replies, "--seed", "2", "--json").stdout)

    def essence(data: dict) -> list:  # type: ignore[type-arg]
        return [(t["state"], t["reply"]["id"], t["points"], t["mood_after"]) for t in data["turns"]]

    assert essence(a) == essence(b)
    assert a["score"] == b["score"] and a["outcome"] == b["outcome"]
    shown_a = [([o["id"] for o in t["offered"]], t["customer"]) for t in a["turns"]]
    shown_b = [([o["id"] for o in t["offered"]], t["customer"]) for t in b["turns"]]
    assert shown_a != shown_b


def test_short_reply_list_reports_an_unfinished_call() -> None:
    result = run_cli("play", DOC, "--replies", "1", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert not data["finished"] and data["outcome"] is None
    assert len(data["turns"]) == 1
    assert not data["score"]["passed"]
    text = run_cli("play", DOC, "--replies", "1")
    assert "call unfinished" in text.stdout


@pytest.mark.parametrize("replies", ["9", "1,0", "1,x", "1,1,1,1,1,1,1,1,1,1"])
def test_reply_not_offered_is_a_clear_error(replies: str) -> None:
    result = run_cli("play", DOC, "--replies", replies)
    assert result.returncode == 2
    assert result.stderr.startswith("calldrill: ")
    assert "Traceback" not in result.stderr


def test_unknown_scenario_suggests_a_name(library: Library) -> None:
    result = run_cli("play", "angry-delivry", "--replies", "1")
    assert result.returncode == 2
    assert "did you mean 'angry-delivery'?" in result.stderr


def test_broken_scenario_file_exits_2_with_position() -> None:
    path = FIXTURES / "broken" / "unknown-tag.yaml"
    result = run_cli("play", str(path), "--replies", "1")
    assert result.returncode == 2
    assert f"{path}:120:25: unknown tag 'empathie'" in result.stderr
    assert "Traceback" not in result.stderr


def test_plain_interactive_play_reads_numbers_from_stdin() -> None:
    result = run_cli("play", DOC, "--plain", "--seed", "0", stdin="abc\n7\n1\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Type a number from 1 to 2." in out  # "abc" and "7" are refused, nothing is lost
    assert "Your reply (1-2, q to quit):" in out
    assert "Left the call unfinished." in out


def test_plain_interactive_play_to_the_end_in_chinese() -> None:
    result = run_cli(
        "--lang", "zh", "play", DOC, "--plain", "--seed", "0", stdin="\n".join(["1"] * 10) + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert "通话结束" in result.stdout and "总分" in result.stdout


def test_markup_and_escapes_in_scenario_text_stay_plain() -> None:
    path = FIXTURES / "valid" / "markup-text.yaml"
    result = run_cli("play", str(path), "--replies", "1")
    assert result.returncode == 0, result.stderr
    assert "[@click=app.quit]quit[/] [/] [bold]bold" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_list_shows_bundled_scenarios_in_json(library: Library) -> None:
    result = run_cli("list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == set(library.scenarios)
    assert all(r["title"]["zh"] and r["title"]["en"] for r in rows)


def test_no_command_prints_help_and_the_list(library: Library) -> None:
    result = run_cli()
    assert result.returncode == 0, result.stderr
    assert "usage: calldrill" in result.stdout
    for sid in library.scenarios:
        assert sid in result.stdout


def test_extra_scenario_folder_is_listed() -> None:
    result = run_cli("--scenarios", str(FIXTURES / "valid"), "list", "--json")
    assert result.returncode == 0, result.stderr
    assert "doc-example" in {r["id"] for r in json.loads(result.stdout)}

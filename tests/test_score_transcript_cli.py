"""`calldrill score-transcript`, run as a real subprocess: formats, output, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

GOOD_ZH = """\
客服：您好，欢迎致电优选商城客服中心，我是客服小林，工号1047，请问有什么可以帮您？
客户：我的包裹说了三次今天送到，三次都没来！太过分了！
坐席:嗯，我在听，您慢慢说。换做是我也会很生气，真的非常抱歉。
客户：我请了假在家等的。
客服：我跟您确认一下：您上周五下的订单，三次送货都没到，最要紧的是周六前收到，对吗？
客户：对。
客服：查到了，是站点分错了，这是我们的失误。我已经安排明天上午12点前送到，您看这样可以吗？
客户：行吧。
客服：我总结一下：明天上午12点前送到，工单号JJ0317，明天下午我会回电确认。还有其他需要帮您的吗？
客户：没有了。
客服：感谢您的来电，祝您生活愉快，再见！
（客户挂断）
"""

BAD_ZH = """\
客服：喂，什么事？
客户：我的包裹说了三次今天送到，三次都没来！太过分了！
客服：这个应该是快递公司的问题，跟我们没关系。
客户：我要投诉！
客服：投诉也没用，我也不知道包裹什么时候能到。
客户：（挂断）
"""


def _file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _clean_failure(result: object) -> str:
    err = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, (result.stdout, err)  # type: ignore[attr-defined]
    assert "Traceback" not in err
    return str(err)


def test_plain_text_report_reads_like_review_notes(tmp_path: Path) -> None:
    result = run_cli("score-transcript", str(_file(tmp_path, "call.txt", GOOD_ZH)))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "通话质检意见 · call.txt" in out
    assert "逐句点评" in out and "整体意见" in out
    assert "✓ 表达同理心 「换做是我」" in out
    assert "服务层级" in out
    assert "Traceback" not in result.stderr


def test_json_has_the_documented_shape(tmp_path: Path) -> None:
    result = run_cli("score-transcript", str(_file(tmp_path, "call.txt", GOOD_ZH)), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"utterances", "findings", "scores", "total", "service_level"}
    assert set(data["scores"]) == {"expression", "process", "solving", "emotion"}
    assert data["total"] == pytest.approx(sum(data["scores"].values()), abs=0.05)
    assert data["service_level"] in ("none", "answer", "solve", "complete", "extended")
    first = data["utterances"][0]
    assert first["speaker"] == "agent" and first["event"] is None
    greeting = next(t for t in first["tags"] if t["tag"] == "greeting")
    assert greeting["matched"] == "欢迎致电"
    assert first["text"][greeting["start"] : greeting["end"]] == "欢迎致电"
    assert data["utterances"][2]["speaker"] == "agent"  # half-width colon, 坐席
    assert data["utterances"][-1]["event"] == "hang-up"
    for finding in data["findings"]:
        assert set(finding) == {"id", "turn", "message"}
    assert data["total"] >= 80


def test_a_good_call_outranks_a_bad_one_and_the_bad_one_is_explained(tmp_path: Path) -> None:
    good = json.loads(
        run_cli("score-transcript", str(_file(tmp_path, "g.txt", GOOD_ZH)), "--json").stdout
    )
    bad = json.loads(
        run_cli("score-transcript", str(_file(tmp_path, "b.txt", BAD_ZH)), "--json").stdout
    )
    assert good["total"] > bad["total"]
    ids = {f["id"] for f in bad["findings"]}
    assert {"no-empathy", "customer-hung-up", "capped", "language:forbidden-phrase"} <= ids
    assert bad["total"] <= 40


def test_yaml_and_json_lists_of_pairs(tmp_path: Path) -> None:
    pairs = [["客服", "您好，欢迎致电，我是客服小林。"], ["客户", "你好。"], ["agent", "再见！"]]
    as_json = _file(tmp_path, "call.json", json.dumps(pairs, ensure_ascii=False))
    as_yaml = _file(
        tmp_path,
        "call.yaml",
        "- [客服, 您好，欢迎致电，我是客服小林。]\n- [客户, 你好。]\n- [agent, 再见！]\n",
    )
    for path in (as_json, as_yaml):
        result = run_cli("score-transcript", str(path), "--json", "--lang", "zh")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert [u["speaker"] for u in data["utterances"]] == ["agent", "customer", "agent"]


def test_english_is_recognised_without_lang(tmp_path: Path) -> None:
    text = (
        "Agent: Thank you for calling Harbor Bank, my name is Leo. How can I help?\n"
        "Customer: My card was declined, this is ridiculous!\n"
        "Agent: I'm so sorry, that must have been embarrassing.\n"
        "Customer (hangs up)\n"
    )
    result = run_cli("score-transcript", str(_file(tmp_path, "call.txt", text)), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    tags = {t["tag"] for u in data["utterances"] for t in u["tags"]}
    assert {"greeting", "apology", "empathy"} <= tags


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", "", "the file is empty"),
        ("blank.txt", "\n   \n", "the file is empty"),
        ("noprefix.txt", "您好\n我的包裹没到\n", "no speaker prefixes found"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("gbk.txt", "客服：您好".encode("gbk"), "not UTF-8"),
        ("nobody.txt", "客户：喂？\n客户：有人吗？\n", "no agent utterance"),
        ("bad.json", '[["客服", "您好"', "not valid JSON"),
        ("who.json", '[["boss", "hello"]]', "unknown speaker"),
        ("shape.yaml", "speaker: 客服\n", "must be a list"),
        ("bomb.yaml", "- &a [客服, x]\n- *a\n", "anchors"),
    ],
)
def test_bad_input_is_a_clear_error(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = _file(tmp_path, name, content)
    err = _clean_failure(run_cli("score-transcript", str(path), "--lang", "zh"))
    assert message in err
    assert str(path) in err


def test_errors_point_at_the_line(tmp_path: Path) -> None:
    path = _file(tmp_path, "call.txt", "通话记录 2024-05-01\n客服：您好\n")
    err = _clean_failure(run_cli("score-transcript", str(path)))
    assert f"{path}:1:1: this line comes before the first speaker" in err
    path = _file(tmp_path, "bin.txt", "客服：您好\n客户：你\x00好\n")
    assert f"{path}:2:" in _clean_failure(run_cli("score-transcript", str(path)))


def test_a_50_mb_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = "客服：您好，欢迎致电，我是客服小林，请问有什么可以帮您？\n".encode()
    with path.open("wb") as fh:
        for _ in range(50 * 1024 * 1024 // (len(line) * 1000) + 1):
            fh.write(line * 1000)
    assert path.stat().st_size >= 50 * 1024 * 1024
    err = _clean_failure(run_cli("score-transcript", str(path)))
    assert "over the 2 MiB limit" in err


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in _clean_failure(run_cli("score-transcript", str(tmp_path / "x.txt")))
    assert "not a file" in _clean_failure(run_cli("score-transcript", str(tmp_path)))


def test_markup_and_escape_sequences_stay_literal(tmp_path: Path) -> None:
    text = (
        "客服：您好[bold red]欢迎致电[/]，我是客服\x1b[31m小林\x1b[0m\x07[@click=app.quit]\n"
        "客户：[link=http://x]点我[/link]\x1b]0;title\x07\n"
    )
    for extra in ((), ("--json",)):
        result = run_cli("score-transcript", str(_file(tmp_path, "m.txt", text)), *extra)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "[bold red]" in result.stdout and "[@click=app.quit]" in result.stdout


def test_trainer_rules_can_be_tried_and_their_problems_are_positioned(tmp_path: Path) -> None:
    rules = _file(
        tmp_path,
        "zh.yaml",
        "schema_version: 1\nlang: zh\nrules:\n  - id: x\n    tag: greting\n    say: [喂]\n",
    )
    call = _file(tmp_path, "call.txt", "客服：喂，什么事？\n")
    err = _clean_failure(run_cli("score-transcript", str(call), "--rules", str(rules)))
    assert f"{rules}:5:10:" in err and "did you mean 'greeting'?" in err
    rules.write_text(
        "schema_version: 1\nlang: zh\nrules:\n  - id: x\n    tag: dismissive\n    say: [什么事]\n",
        encoding="utf-8",
    )
    result = run_cli("score-transcript", str(call), "--rules", str(rules), "--json")
    assert result.returncode == 0, result.stderr
    tags = [t["tag"] for t in json.loads(result.stdout)["utterances"][0]["tags"]]
    assert tags == ["dismissive"]
    wrong = _clean_failure(
        run_cli("score-transcript", str(call), "--rules", str(rules), "--lang", "en")
    )
    assert "these rules are for 'zh'" in wrong

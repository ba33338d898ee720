"""Free text: normalisation, the phrase rules, the analyser and the typed-reply matcher,
on the bundled rules and scenarios (docs/free-text.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.scenario.errors import ScenarioError
from simulator.scenario.library import Library, bundled_dir, scenario_files
from simulator.scoring.analyse import analyse
from simulator.scoring.matcher import THRESHOLD, match_reply
from simulator.scoring.normalise import normalise
from simulator.scoring.phrase_rules import bundled_phrase_book, load_phrase_book
from tests.conftest import ROOT


def tags_of(text: str, lang: str = "zh") -> set[str]:
    return set(analyse(text, bundled_phrase_book(lang)).tags)  # type: ignore[arg-type]


# Normalisation.


def test_traditional_full_width_and_spaces_are_normalised_but_spans_point_at_what_was_typed() -> (
    None
):
    text = "您好，歡迎致電順達快遞，我是客服小周，工號３０２１。"
    a = analyse(text, bundled_phrase_book("zh"))
    assert {"greeting", "self-id"} <= set(a.tags)
    greeting = a.first("greeting")
    assert greeting is not None
    assert greeting.text == "歡迎致電"  # as written, not the simplified form
    assert text[greeting.start : greeting.end] == "歡迎致電"
    norm = normalise("您 好 ， 工號 ３０２１", "zh")
    assert norm.text == "您好,工号3021"


def test_control_characters_are_stripped_before_matching() -> None:
    a = analyse("非常\x1b[31m抱歉\x07", bundled_phrase_book("zh"))
    assert "\x1b" not in a.text and "\x07" not in a.text
    assert "apology" not in a.tags or all("\x1b" not in h.text for h in a.hits)


# Chinese: negation, quotes, no word boundaries.


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("这个时间不可能。", {"taboo-word"}, set()),
        ("这个时间不是不可能，我帮您协调。", set(), {"taboo-word"}),
        ("我理解您的心情。", {"empathy"}, set()),
        ("我不理解您为什么生气。", set(), {"empathy"}),
        ("我不是不理解您的心情，只是规定如此。", {"empathy"}, set()),
        ("我没什么好抱歉的。", set(), {"apology"}),
        ("您刚才说“我不知道怎么办”，我理解您的心情。", {"empathy"}, {"forbidden-phrase"}),
        ("我也不知道包裹在哪。", {"forbidden-phrase"}, set()),
        ("我们会尽快处理。", {"vague-promise"}, {"concrete-timeframe"}),
        ("我们会在明天下午三点前尽快处理。", {"concrete-timeframe"}, {"vague-promise"}),
        ("这是我们应该做的。", set(), {"taboo-word"}),
    ],
)
def test_chinese_rules(text: str, present: set[str], absent: set[str]) -> None:
    found = tags_of(text)
    assert present <= found, found
    assert not absent & found, found


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("I'm so sorry about that.", {"apology"}, set()),
        ("I'm not sorry, those are the rules.", set(), {"apology"}),
        ("It's not impossible.", set(), {"taboo-word"}),
        ("That's impossible.", {"taboo-word"}, set()),
        ("I dont know where it is.", {"forbidden-phrase"}, set()),
        ("I don’t know where it is.", {"forbidden-phrase"}, set()),
        ("We'll fix it as soon as possible.", {"vague-promise"}, set()),
        ("We'll fix it by 5 pm today.", {"concrete-timeframe"}, {"vague-promise"}),
        (
            'You said "no idea" earlier, is that right?',
            {"confirm-understanding"},
            {"forbidden-phrase"},
        ),
    ],
)
def test_english_rules(text: str, present: set[str], absent: set[str]) -> None:
    found = tags_of(text, "en")
    assert present <= found, found
    assert not absent & found, found


def test_customer_rules_give_cues_not_tags() -> None:
    book = bundled_phrase_book("zh")
    a = analyse("你们太过分了，我要去找媒体曝光！", book, "customer")
    assert {"upset", "threat"} <= set(a.tags)
    assert "apology" not in analyse("对不起", book, "customer").tags


def test_the_phrase_folder_is_not_read_as_scenarios() -> None:
    assert all(p.parent == bundled_dir() for p in scenario_files(bundled_dir()))
    assert (bundled_dir() / "phrases" / "zh.yaml").is_file()


# The rule files: problems with file:line:col.


def _write(tmp_path: Path, text: str, name: str = "zh.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_rule_file_reports_every_problem_with_its_position(
    tmp_path: Path, library: Library
) -> None:
    path = _write(
        tmp_path,
        "schema_version: 1\n"
        "lang: zh\n"
        "rules:\n"
        "  - id: sorry\n"
        "    tag: apologyy\n"
        "    say: [抱歉]\n"
        "  - id: bad-regex\n"
        "    tag: apology\n"
        "    regex: ['(unclosed']\n"
        "  - id: sorry\n"
        "    tag: apology\n"
        "    say: [对不起]\n"
        "  - id: both\n"
        "    tag: apology\n"
        "    cue: upset\n"
        "    say: [x]\n",
    )
    with pytest.raises(ScenarioError) as exc:
        load_phrase_book(path, library.tags)
    text = str(exc.value)
    assert f"{path}:5:10: rule 'sorry' tag: unknown tag 'apologyy'" in text
    assert "did you mean 'apology'?" in text
    assert f"{path}:9:13: rule 'bad-regex' regex is not a valid regular expression" in text
    assert "rule id 'sorry' is already used" in text
    assert "needs exactly one of `tag:`" in text


def test_a_rule_file_refuses_hostile_yaml(tmp_path: Path, library: Library) -> None:
    path = _write(tmp_path, "schema_version: 1\nlang: zh\nrules: &a [*a]\n")
    with pytest.raises(ScenarioError) as exc:
        load_phrase_book(path, library.tags)
    assert "anchors" in str(exc.value)


def test_a_trainer_rule_takes_effect(tmp_path: Path, library: Library) -> None:
    path = _write(
        tmp_path,
        "schema_version: 1\nlang: zh\nrules:\n"
        "  - id: my-taboo\n    tag: taboo-word\n    say: [回头再说]\n",
    )
    book = load_phrase_book(path, library.tags)
    assert analyse("这个回头再说吧", book).tags == ("taboo-word",)


# Matching a typed reply to an authored choice.


def test_a_typed_reply_is_understood_as_the_closest_choice(library: Library) -> None:
    state = library.scenarios["angry-delivery"].states["venting"]
    m = match_reply(
        "嗯，我明白，您等了三次都没送到，还特地请了假，换成谁都会生气。", state.choices, "zh"
    )
    assert m.choice is not None and m.choice.id == "acknowledge-and-empathise"
    assert m.similarity >= THRESHOLD
    assert m.ranking[0][0] == "acknowledge-and-empathise"
    assert set(m.choice.tags) <= set(m.tags)


def test_an_unrelated_reply_is_not_understood(library: Library) -> None:
    state = library.scenarios["angry-delivery"].states["check-status"]
    for lang, typed in (("zh", "今天天气真不错。"), ("en", "Lovely weather we're having.")):
        m = match_reply(typed, state.choices, lang)  # type: ignore[arg-type]
        assert m.choice is None and not m.understood
        assert m.similarity < THRESHOLD
        assert m.tags == ()


def test_a_good_intent_with_a_taboo_word_still_costs_points(library: Library) -> None:
    state = library.scenarios["angry-delivery"].states["apology-moment"]
    clean = match_reply(
        "您说得对，三次承诺都没兑现，是我们做得不好，我代表商城向您道歉。", state.choices, "zh"
    )
    taboo = match_reply(
        "您说得对，三次承诺都没兑现，应该是我们做得不好，我代表商城向您道歉。",
        state.choices,
        "zh",
    )
    assert clean.choice is not None and taboo.choice is not None
    assert clean.choice.id == taboo.choice.id == "sincere-apology"
    assert "taboo-word" not in clean.tags and "taboo-word" in taboo.tags
    added = [a for a in taboo.adjustments if a.change == "added"]
    assert added[0].tag == "taboo-word" and added[0].hit is not None
    assert added[0].hit.text == "应该是"

    def points(tags: tuple[str, ...]) -> int:
        return sum(sum(library.tags[t].points.values()) for t in tags)

    assert points(taboo.tags) < points(clean.tags)


def test_a_vague_promise_takes_away_the_concrete_time_of_the_choice(library: Library) -> None:
    state = next(
        st
        for st in library.scenarios["angry-delivery"].states.values()
        if any("concrete-timeframe" in c.tags for c in st.choices)
    )
    target = next(c for c in state.choices if "concrete-timeframe" in c.tags)
    m = match_reply(target.text.zh + "我们会尽快。", [target], "zh")
    assert m.choice is target
    assert "concrete-timeframe" in m.tags or "vague-promise" not in m.analysis.tags
    vague = match_reply("我们会尽快给您处理好，您放心。", [target], "zh", threshold=0)
    assert "concrete-timeframe" not in vague.tags and "vague-promise" in vague.tags
    assert ("concrete-timeframe", "removed") in [(a.tag, a.change) for a in vague.adjustments]


def test_a_negated_tag_is_taken_away(library: Library) -> None:
    state = library.scenarios["angry-delivery"].states["apology-moment"]
    apology = next(c for c in state.choices if "apology" in c.tags)
    m = match_reply("我没什么好抱歉的，是物流的问题。", [apology], "zh", threshold=0)
    assert "apology" not in m.tags
    assert ("apology", "removed", "negated") in [(a.tag, a.change, a.why) for a in m.adjustments]


def test_the_result_is_plain_data() -> None:
    m = match_reply("I'm sorry", [], "en")
    assert m.as_dict()["choice"] is None and m.as_dict()["ranking"] == []


def test_free_text_imports_no_ui() -> None:
    code = (
        "import sys\n"
        "from simulator.scoring.matcher import match_reply\n"
        "from simulator.scoring.transcript_review import review_transcript\n"
        "import simulator.cli_transcript\n"
        "match_reply('您好', [], 'zh'); match_reply('hello', [], 'en')\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""

"""Path exploration against brute force: every path replayed with the engine, one by one."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pytest

from simulator.engine import Call, CallPlot
from simulator.engine.conditions import History, holds
from simulator.engine.explore import LOOP_STEPS, YES_TAGS, Exploration, explore
from simulator.engine.explore_graph import Graph
from simulator.engine.explore_keys import Keys, _Now, _settle
from simulator.engine.explore_scores import count_folder
from simulator.scenario.library import Library
from simulator.scenario.model import (
    AllCond,
    AnyCond,
    ChoseCond,
    Condition,
    EventCond,
    MoodCond,
    NotCond,
    TagUsedCond,
)
from simulator.scoring import score_call
from tests.builders import scenario_yaml
from tests.conftest import FIXTURES, run_cli

MakePlot = Callable[[str, str], CallPlot]


@dataclass
class Brute:
    """Everything explore reports, counted over every path enumerated one by one."""

    paths: int = 0
    endings: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    unfinished: int = 0
    passing: int = 0
    scores: Counter[float] = field(default_factory=Counter)
    reached: Exploration = field(default_factory=lambda: Exploration("", True))


def brute_force(plot: CallPlot, max_depth: int) -> Brute:
    out = Brute()
    concerns = [c.id for c in plot.scenario.concerns]
    base = plot.new_call(0)
    stack: list[tuple[Call, tuple[int, ...]]] = [(base.fork(), (0,) * len(concerns))]
    base.close()
    while stack:
        call, progress = stack.pop()
        if call.finished or len(call.turns) >= max_depth:
            score = score_call(call)
            out.paths += 1
            out.scores[score.total] += 1
            out.passing += score.passed
            if call.finished:
                out.endings[call.state] += 1
                out.outcomes[str(call.outcome)] += 1
            else:
                out.unfinished += 1
            continue
        for choice in plot.scenario.states[call.state].choices:
            child = call.fork()
            turn = child.reply(choice.id)
            out.reached.note(turn, plot.tags)
            levels = list(progress)
            if turn.concern in concerns:
                i = concerns.index(turn.concern)
                for tag in turn.tags:
                    if levels[i] < 3 and plot.tags[tag].loop == LOOP_STEPS[levels[i]]:
                        levels[i] += 1
                if levels[i] == 3:
                    out.reached.full_loops.add(turn.concern)
            stack.append((child, tuple(levels)))
    return out


def replay_score(plot: CallPlot, replies: tuple[str, ...]) -> float:
    call = plot.new_call(0)
    for label in replies:
        state, choice = label.split(".", 1)
        assert call.state == state
        call.reply(choice)
    call.close()
    return score_call(call).total


def assert_matches(plot: CallPlot, result: Exploration, brute: Brute) -> None:
    assert result.paths == brute.paths
    assert result.endings == brute.endings
    assert result.outcomes == brute.outcomes
    assert result.unfinished == brute.unfinished
    assert result.worst is not None and result.best is not None
    assert result.worst[0] == min(brute.scores)
    assert result.best[0] == max(brute.scores)
    assert replay_score(plot, result.worst[1]) == result.worst[0]
    assert replay_score(plot, result.best[1]) == result.best[0]
    for name in (
        "states_reached",
        "choices_reached",
        "tags_reached",
        "reactions_fired",
        "loop_steps",
        "full_loops",
        "yes_rungs",
    ):
        assert getattr(result, name) == getattr(brute.reached, name), name
    if result.method == "exhaustive":
        assert result.score_counts == brute.scores
        assert result.passing == brute.passing
        reference = Exploration("", True, score_counts=brute.scores)
        assert result.median == reference.median


@pytest.fixture
def angry_loops(make_plot: MakePlot) -> CallPlot:
    """Reactions that depend on what was said before, a mood branch, an event branch, a
    blocker, a hang-up threshold, a loop that ends (anger climbs) and one that never does."""
    return make_plot(
        "angry-loops",
        scenario_yaml(
            "angry-loops",
            "angry",
            {
                "vent": [
                    ("listen", ["acknowledge", "let-finish"], "feel"),
                    ("argue", ["argue"], "vent"),
                    ("wait", ["greeting"], "vent"),
                ],
                "feel": [
                    ("empathy", ["empathy", "paraphrase"], "fix"),
                    (
                        "sorry",
                        ["apology"],
                        [
                            {"when": {"mood": "anger", "at_least": 60}, "next": "vent"},
                            {"next": "fix"},
                        ],
                    ),
                    ("blame", ["blame-customer"], "feel"),
                ],
                "fix": [
                    (
                        "plan",
                        ["propose-solution", "confirm-understanding"],
                        "close",
                        {"sets": ["fixed"]},
                    ),
                    ("lie", ["misleading"], "close"),
                    ("shrug", ["dismissive"], "fix"),
                ],
                "close": [
                    (
                        "bye",
                        ["closing"],
                        [{"when": {"event": "fixed"}, "next": "done"}, {"next": "meh"}],
                    ),
                    (
                        "check",
                        ["check-understanding"],
                        [{"when": {"tag_used": "empathy"}, "next": "done"}, {"next": "fix"}],
                    ),
                ],
            },
            {"done": "resolved", "meh": "complaint-filed", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
        ),
    )


@pytest.fixture
def drifting(make_plot: MakePlot) -> CallPlot:
    """A talkative caller's interjections (every few replies unless steered) and a
    focus branch."""
    return make_plot(
        "drifting",
        scenario_yaml(
            "drifting",
            "talkative",
            {
                "chat": [
                    ("steer", ["redirect"], "ask"),
                    ("nod", ["acknowledge"], "chat"),
                    ("ask-more", ["open-question"], "chat"),
                ],
                "ask": [
                    (
                        "close",
                        ["closing", "summarise"],
                        [
                            {"when": {"mood": "focus", "at_most": 40}, "next": "chat"},
                            {"next": "done"},
                        ],
                    ),
                    ("cut", ["interrupt"], "ask"),
                    ("drift", ["open-question"], "chat"),
                ],
            },
            {"done": "resolved", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
        ),
    )


@pytest.fixture
def second_time(make_plot: MakePlot) -> CallPlot:
    """A loop a choice can keep the caller in, closed by `visited`: the second time in
    `doubt` the same reply ends the call instead of going round again."""
    return make_plot(
        "second-time",
        scenario_yaml(
            "second-time",
            "angry",
            {
                "ask": [
                    ("offer", ["propose-solution"], "done-state"),
                    ("vague", ["vague-promise"], "doubt"),
                    # No reaction to a greeting: the mood cannot tell the rounds apart.
                    ("push", ["greeting"], "doubt"),
                ],
                "doubt": [
                    (
                        "explain",
                        ["greeting"],
                        [
                            {"when": {"visited": "doubt", "at_least": 2}, "next": "later"},
                            {"next": "ask"},
                        ],
                    ),
                    ("argue", ["argue"], "ask"),
                    ("sorry", ["apology"], "later"),
                ],
                "done-state": [
                    ("bye", ["closing"], "done"),
                    ("recap", ["summarise"], "done"),
                    ("more", ["offer-more-help"], "done"),
                ],
            },
            {"done": "resolved", "later": "resolved-with-follow-up", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
        ),
    )


@pytest.fixture
def settling(make_plot: MakePlot) -> CallPlot:
    """Branches on what was said and done, in every shape a test can take (any, all, not),
    so that some settle for good partway through a call and others never do; an angry
    caller with two ways to hang up (anger, patience)."""
    calm = {"any": [{"tag_used": "acknowledge"}, {"tag_used": "let-finish"}]}
    one = {"any": [{"event": "one"}, {"tag_used": "apology"}]}
    two = {"any": [{"event": "two"}, {"tag_used": "apology"}]}
    return make_plot(
        "settling",
        scenario_yaml(
            "settling",
            "angry",
            {
                # Either event settles one of two tests alike and leaves the other: the
                # calls differ in which test is left, though the tests left look the same.
                "start": [
                    ("first", ["greeting"], "vent", {"sets": ["one"]}),
                    ("second", ["greeting"], "vent", {"sets": ["two"]}),
                ],
                "vent": [
                    ("nod", ["acknowledge"], "probe", {"sets": ["heard"]}),
                    ("wait", ["let-finish"], "probe"),
                    ("cut", ["interrupt"], "probe"),
                ],
                "probe": [
                    ("nod-again", ["acknowledge"], "offer"),
                    ("sorry", ["apology"], [{"when": calm, "next": "offer"}, {"next": "vent"}]),
                    ("argue", ["argue"], "offer"),
                    ("ask", ["open-question"], [{"when": one, "next": "done"}, {"next": "meh"}]),
                ],
                "offer": [
                    (
                        "fix",
                        ["propose-solution"],
                        [
                            {
                                "when": {"all": [{"event": "heard"}, calm]},
                                "next": "done",
                            },
                            {"when": {"not": {"tag_used": "interrupt"}}, "next": "probe"},
                            {"next": "meh"},
                        ],
                    ),
                    ("feel", ["empathy"], [{"when": calm, "next": "done"}, {"next": "probe"}]),
                    ("blame", ["blame-customer"], "offer"),
                    ("ask", ["open-question"], [{"when": two, "next": "meh"}, {"next": "done"}]),
                ],
            },
            {"done": "resolved", "meh": "complaint-filed", "gone": "customer-hung-up"},
            events={"hang-up": "gone"},
        ),
    )


@pytest.mark.parametrize("depth", [6, 9])
def test_every_figure_matches_brute_force(
    angry_loops: CallPlot,
    drifting: CallPlot,
    second_time: CallPlot,
    settling: CallPlot,
    depth: int,
) -> None:
    for plot in (angry_loops, drifting, second_time, settling):
        result = explore(plot, max_depth=depth)
        assert result.method == "exhaustive" and result.exhaustive
        assert_matches(plot, result, brute_force(plot, depth))


def test_bundled_scenarios_match_brute_force(plots: dict[str, CallPlot]) -> None:
    """Whatever is bundled today, at a depth where brute force stays quick."""
    for sid in sorted(plots)[:6]:
        plot = plots[sid]
        depth = 5
        assert_matches(plot, explore(plot, max_depth=depth), brute_force(plot, depth))


def test_the_doc_example_in_full(library: Library) -> None:
    from simulator.scenario.library import load_scenario  # noqa: PLC0415

    sc = load_scenario(FIXTURES / "valid" / "doc-example.yaml", library.tags, library.personas)
    plot = CallPlot(sc, library.tags, library.rubric)
    result = explore(plot)
    assert result.exhaustive
    assert_matches(plot, result, brute_force(plot, 40))


def test_merged_futures_change_nothing(
    angry_loops: CallPlot, drifting: CallPlot, plots: dict[str, CallPlot]
) -> None:
    """Keys that keep every mood value exactly (no merging of futures by mood) give the
    same paths, endings and findings as the keys that merge: the merging loses nothing."""
    depth = 8
    for plot in (angry_loops, drifting, plots[sorted(plots)[0]]):
        seen = []
        for abstract in (True, False):
            notes = Exploration(plot.scenario.id, True)
            graph = Graph(
                plot,
                Keys(plot.scenario, depth, abstract=abstract),
                limit=10**6,
                max_depth=depth,
                seed=0,
                note=partial(Exploration.note, notes, tags=plot.tags),
            )
            paths = count_folder(graph).value(graph.root, depth)
            found = (paths, notes.states_reached, notes.choices_reached, notes.reactions_fired)
            seen.append((len(graph.nodes), found))
        (merged, merged_found), (whole, whole_found) = seen
        assert merged <= whole and merged_found == whole_found, plot.scenario.id


def test_an_endless_loop_is_reported_and_replays(angry_loops: CallPlot) -> None:
    result = explore(angry_loops, max_depth=10)
    assert result.unfinished > 0
    assert ("vent.wait",) in result.endless_loops
    call = angry_loops.new_call(0)
    for _ in range(100):
        call.reply("wait")  # the round never changes the mood: the call never has to end
    assert not call.finished
    call.close()


def test_past_the_score_limit_only_the_median_is_estimated(drifting: CallPlot) -> None:
    exact = explore(drifting, max_depth=9)
    estimated = explore(drifting, max_depth=9, score_limit=1, samples=400)
    assert estimated.method == "exact-paths" and not estimated.exhaustive
    assert estimated.score_samples == 400 and sum(estimated.score_counts.values()) == 400
    for name in ("paths", "endings", "unfinished", "best", "worst", "states_reached"):
        assert getattr(estimated, name) == getattr(exact, name), name
    assert estimated.median is not None and exact.worst and exact.best
    assert exact.worst[0] <= estimated.median <= exact.best[0]
    assert estimated.as_dict(drifting)["score"]["median_exact"] is False


def test_past_the_future_limit_it_samples(angry_loops: CallPlot) -> None:
    result = explore(angry_loops, limit=3, samples=50)
    assert result.method == "sampled" and not result.exhaustive
    assert result.paths == 50 and result.futures == 0


def test_three_yes_rungs_and_loops_in_the_report(plots: dict[str, CallPlot]) -> None:
    plot = plots["outbound-upgrade"]
    data = explore(plot, max_depth=7).as_dict(plot)
    assert set(data["three_yes"]) == set(YES_TAGS)
    assert all(isinstance(v["reachable"], list) for v in data["loop_steps"].values())
    assert json.loads(json.dumps(data)) == data


def test_cli_explore_reports_the_method() -> None:
    path = FIXTURES / "valid" / "doc-example.yaml"
    result = run_cli("explore", str(path), "--json", "--score-limit", "1", "--samples", "100")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["method"] == "exact-paths" and data["score"]["samples"] == 100
    text = run_cli("explore", str(path), "--score-limit", "1", "--samples", "100").stdout
    assert "median" in text and "estimated from 100" in text


def test_visited_closes_a_loop_on_the_second_time_round(second_time: CallPlot) -> None:
    call = second_time.new_call(0)
    call.reply("vague")
    assert call.reply("explain").next == "ask"  # first time in doubt: back to the ask
    call.reply("push")
    assert call.reply("explain").next == "later"  # second time: the call ends
    assert call.finished
    call.close()
    result = explore(second_time, max_depth=12)
    # Only the visit count tells the rounds apart; `argue` still loops back, until the
    # persona's anger ends the call. The counted figures agree with walking every path.
    assert result.method == "exhaustive" and result.endless_loops == []
    assert_matches(second_time, result, brute_force(second_time, 12))


def test_plot_nodes_know_the_second_time_round_ends_the_loop(second_time: CallPlot) -> None:
    """Among plot nodes (a state with its visit counts) the `explain` loop closes: the second
    time in `doubt` the reply can only end the call (or the persona hangs up), so neither
    the keys nor the mood bounds count a round that cannot come."""
    keys = Keys(second_time.scenario, 40)
    second = [
        i for i, (state, visits) in enumerate(keys.node_key) if state == "doubt" and visits == (2,)
    ]
    assert second
    for nid in second:
        assert keys.node_next[nid]["explain"] == {"later": None, "gone": None}


def test_a_reply_the_plot_nodes_do_not_expect_means_exact_keys(
    second_time: CallPlot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the engine goes where the plot nodes say it cannot (here: they are told the
    second round never ends the call), the check refuses the merged keys and every figure
    comes from exact keys, still matching brute force."""
    made: list[Keys] = []
    real_init = Keys.__init__

    def broken(self: Keys, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        for out in self.node_next:
            out.get("explain", {}).pop("later", None)
        made.append(self)

    monkeypatch.setattr(Keys, "__init__", broken)
    result = explore(second_time, max_depth=12)
    assert [k.abstract for k in made] == [True, False]  # refused, then exact
    assert_matches(second_time, result, brute_force(second_time, 12))


def test_a_branch_sees_only_where_the_reply_leaves_the_mood(angry_loops: CallPlot) -> None:
    """`feel.sorry` branches on anger >= 60 after the apology has calmed the caller: the
    starts that end on the same side go the same way, whichever side they began on."""
    keys = Keys(angry_loops.scenario, 40)
    call = angry_loops.new_call(0).fork()
    call.reply("listen")
    call.history.mood["anger"] = 65
    node = keys.node_of(call)
    child = call.fork()
    turn = child.reply("sorry")
    assert turn.next == "fix" and turn.mood_after["anger"] < 60
    wide = [keys.limits[v] for v in keys.variables]
    low, high = keys.reply_span(node, "sorry", turn, wide)[keys.variables.index("anger")]
    drop = 65 - turn.mood_after["anger"]
    assert (low, high) == (0, 59 + drop)


def test_a_settled_test_answers_as_the_test_on_every_later_history() -> None:
    """What settles a test (a tag said, an event raised, a choice made) stays so: on every
    history that grows from the one it was settled on, the settled test answers as the
    test itself."""
    rnd = random.Random(5)
    names = ("a", "b", "c")

    def atom() -> Condition:
        options: list[Condition] = [
            TagUsedCond(rnd.choice(names), rnd.randint(1, 2)),
            EventCond(rnd.choice(names)),
            ChoseCond(rnd.choice(names)),
            MoodCond("anger", at_least=rnd.randint(0, 100)),
        ]
        return rnd.choice(options)

    def cond(depth: int = 0) -> Condition:
        if depth >= 3 or rnd.random() < 0.35:
            return atom()
        kind = rnd.choice(["all", "any", "not"])
        if kind == "not":
            return NotCond(cond(depth + 1))
        items = tuple(cond(depth + 1) for _ in range(rnd.randint(2, 3)))
        return AllCond(items) if kind == "all" else AnyCond(items)

    def history() -> History:
        return History(
            mood={"anger": rnd.randint(0, 100)},
            events={n for n in names if rnd.random() < 0.3},
            chosen={n for n in names if rnd.random() < 0.3},
            tags=Counter({n: rnd.randint(0, 2) for n in names}),
        )

    settled_some = 0
    for _ in range(300):
        c = cond()
        now = history()
        settled = _settle(c, _Now(frozenset(now.events), frozenset(now.chosen), now.tags))
        settled_some += settled != c
        for _ in range(20):
            later = History(
                mood={"anger": rnd.randint(0, 100)},
                events=now.events | {n for n in names if rnd.random() < 0.3},
                chosen=now.chosen | {n for n in names if rnd.random() < 0.3},
                tags=now.tags + Counter({n: rnd.randint(0, 2) for n in names}),
            )
            want = holds(c, later)
            assert (settled if isinstance(settled, bool) else holds(settled, later)) is want
    assert settled_some > 50  # the settling was put to the test, not skipped

"""Drill planning (issue 7): the rotation, the phases, the scenario per round, the role
card and the stage cues — the pure layer, on the real bundled library."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.drill.choose import ChoiceError, ScenarioFilter, choose_scenarios
from simulator.drill.phases import (
    DEFAULT_SECONDS,
    FEEDBACK,
    PREPARE,
    ROLEPLAY,
    PhaseClock,
    PhasePlan,
    countdown,
)
from simulator.drill.role_card import role_card, stage_cues
from simulator.drill.rotation import ROLES, PlanError, plan_rotation, role_counts
from simulator.i18n import STRINGS
from simulator.scenario.library import Library
from simulator.scenario.model import LibraryIndex
from tests.conftest import ROOT

names = st.lists(
    st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8),
    min_size=3,
    max_size=4,
    unique_by=str.casefold,
)


@given(group=names, rounds=st.integers(1, 24))
def test_everyone_plays_each_role_as_evenly_as_possible(group: list[str], rounds: int) -> None:
    plan = plan_rotation(group, rounds)
    assert [s.number for s in plan] == list(range(1, rounds + 1))
    counts = role_counts(plan)
    for role in ROLES:
        per_person = [counts[role][p] for p in group]
        assert max(per_person) - min(per_person) <= 1, (role, per_person)
        assert sum(per_person) == rounds
    for seats in plan:
        seated = [seats.agent, seats.customer, seats.observer, *seats.also_watching]
        assert sorted(seated) == sorted(group), "everyone has exactly one seat each round"


@given(group=names, rounds=st.integers(1, 24))
def test_the_plan_is_deterministic(group: list[str], rounds: int) -> None:
    assert plan_rotation(group, rounds) == plan_rotation(list(group), rounds)


@given(group=names)
def test_a_full_cycle_gives_everyone_the_agent_seat_once(group: list[str]) -> None:
    plan = plan_rotation(group, len(group))
    assert sorted(s.agent for s in plan) == sorted(group)


def test_the_three_person_rotation_reads_as_planned() -> None:
    plan = plan_rotation(["陈静", "李雷", "王芳"], 3)
    assert [(s.agent, s.customer, s.observer) for s in plan] == [
        ("陈静", "王芳", "李雷"),
        ("李雷", "陈静", "王芳"),
        ("王芳", "李雷", "陈静"),
    ]
    four = plan_rotation(["a", "b", "c", "d"], 1)
    assert (four[0].customer, four[0].also_watching) == ("d", ("c",))


@pytest.mark.parametrize(
    ("group", "rounds", "why"),
    [
        (["a", "b"], 3, "3 or 4 people"),
        (["a", "b", "c", "d", "e"], 3, "3 or 4 people"),
        (["a", "b", "A"], 3, "twice"),
        (["a", "b", "c"], 0, "1 to 24 rounds"),
        (["a", "b", " \x1b "], 3, "3 or 4 people"),
    ],
)
def test_a_bad_group_is_refused_with_a_reason(group: list[str], rounds: int, why: str) -> None:
    with pytest.raises(PlanError, match=why):
        plan_rotation(group, rounds)


def test_phases_have_the_domain_defaults_and_record_over_runs() -> None:
    assert PhasePlan().as_dict() == {PREPARE: 300, ROLEPLAY: 600, FEEDBACK: 180}
    assert dict(DEFAULT_SECONDS) == PhasePlan().as_dict()
    now = [0.0]
    clock = PhaseClock(PhasePlan(prepare=2, roleplay=5, feedback=1), clock=lambda: now[0])
    clock.start(PREPARE)
    now[0] = 1.5
    assert clock.remaining_s() == pytest.approx(0.5)
    clock.start(ROLEPLAY)  # starting the next phase ends this one
    now[0] = 8.25
    assert countdown(clock.remaining_s()) == "+00:01"
    clock.stop()
    prepare, roleplay = clock.done
    assert (prepare.phase, prepare.used_ms, prepare.over) == (PREPARE, 1500, False)
    assert (roleplay.used_ms, roleplay.over_ms) == (6750, 1750)
    assert countdown(61.2) == "01:02"
    with pytest.raises(ValueError, match="1 to 3600"):
        PhasePlan(prepare=0)


def test_scenarios_per_round_from_ids_or_a_seeded_filter(library: Library) -> None:
    index = LibraryIndex.of(library).scenarios
    assert choose_scenarios(index, 3, ids=["angry-delivery", "privacy-trap"]) == [
        "angry-delivery",
        "privacy-trap",
        "angry-delivery",
    ]
    basic = ScenarioFilter(difficulty="basic")
    drawn = choose_scenarios(index, 6, where=basic, seed=7)
    assert drawn == choose_scenarios(index, 6, where=basic, seed=7)
    assert all(index[s].difficulty == "basic" for s in drawn)
    matching = [s for s in index.values() if basic.matches(s)]
    first = drawn[: len(matching)]
    assert len(set(first)) == len(first), "no repeat until the matches run out"
    angry = choose_scenarios(index, 4, where=ScenarioFilter(persona="angry"), seed=1)
    assert all(index[s].persona.id == "angry" for s in angry)
    with pytest.raises(ChoiceError, match="no scenario 'nope'"):
        choose_scenarios(index, 2, ids=["nope"])
    with pytest.raises(ChoiceError, match="no tier"):
        choose_scenarios(index, 2, where=ScenarioFilter(difficulty="expert"))
    with pytest.raises(ChoiceError, match="matches"):
        choose_scenarios(index, 2, where=ScenarioFilter(persona="nobody"))


def test_the_role_card_comes_from_the_persona_and_scenario(library: Library) -> None:
    sc = library.scenarios["angry-delivery"]
    for lang in ("zh", "en"):
        card = role_card(sc, library.tags, lang)
        assert card.persona == sc.persona.name.get(lang)
        assert card.how_you_sound == sc.persona.signs.get(lang)
        assert card.what_you_want == tuple(c.summary.get(lang) for c in sc.concerns)
        assert ("DD20241104-88317" in v for _, v in card.facts)
        assert len(card.mood) == len(sc.persona.mood)
        assert len(card.calmer) + len(card.angrier) == len(sc.persona.reactions)
    card = role_card(sc, library.tags, "en")
    interrupt = next(m for m in card.angrier if m.skill == library.tags["interrupt"].name.en)
    assert interrupt.effect == "Anger +15 · Patience -10"
    assert interrupt.because == "you interrupted"
    assert any(m.skill == library.tags["let-finish"].name.en for m in card.calmer)
    assert "At Anger ≥ 100 you hang up" in card.limits


def test_stage_cues_follow_the_live_mood(library: Library) -> None:
    persona = library.scenarios["angry-delivery"].persona
    cues = stage_cues(persona, {"anger": 90, "trust": 40, "patience": 10}, "en")
    assert "You're losing patience: cut in, hurry them up" in cues
    assert any("furious" in c for c in cues)
    calm = stage_cues(persona, {"anger": 10, "trust": 50, "patience": 50}, "zh")
    assert STRINGS["zh"]["drill_cue_anger_good"] in calm
    steady = stage_cues(persona, {"anger": 50, "trust": 50, "patience": 50}, "en")
    assert steady == [STRINGS["en"]["drill_cue_steady"]]


def test_drill_planning_does_not_import_ui() -> None:
    code = (
        "import sys\n"
        "import simulator.drill.rotation, simulator.drill.phases\n"
        "import simulator.drill.choose, simulator.drill.role_card\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""

"""A seeded class of drills written through the real store API (tests and bench)."""

from __future__ import annotations

from simulator.drill.choose import choose_scenarios
from simulator.drill.phases import FEEDBACK, PREPARE, ROLEPLAY, PhasePlan, PhaseTiming
from simulator.drill.rotation import plan_rotation
from simulator.engine import CallPlot, rng
from simulator.scenario.model import DIMENSIONS, Library, LibraryIndex
from simulator.store.drills import ObserverSheet, finish_drill, save_round, start_drill
from simulator.store.recorder import RecordedCall
from simulator.store.store import Store

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "静伟芳娜敏强磊洋艳勇军杰娟涛明超秀霞平刚"


HOSTILE = "<script>x</script>[@click=app.quit]"


def class_names(n: int) -> list[str]:
    """Chinese names, the first of them carrying markup (names are untrusted)."""
    names = [SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + str(i) for i in range(n)]
    names[0] = HOSTILE + names[0]
    return names


def observer_bias(name: str) -> int:
    """-1 harsh, 0 fair, +1 kind: fixed per observer so calibration has something to find."""
    return rng.pick(0, 3, "bias", name) - 1


def seed_class(
    store: Store,
    library: Library,
    *,
    trainees: int = 30,
    rounds: int = 6,
    class_name: str = "2026春季一班",
    seed: int = 11,
) -> list[str]:
    names = class_names(trainees)
    index = LibraryIndex.of(library).scenarios
    plots: dict[str, CallPlot] = {}
    plan = PhasePlan()
    for g in range(0, trainees, 3):
        group = names[g : g + 3]
        drill = start_drill(store, group, class_name=class_name, plan=plan.as_dict())
        scenarios = choose_scenarios(index, rounds, seed=seed + g)
        for seats, sid in zip(plan_rotation(group, rounds), scenarios, strict=True):
            sc = library.scenarios[sid]
            plot = plots.setdefault(sid, CallPlot(sc, library.tags, library.rubric))
            call = plot.new_call(seed + seats.number)
            recorded = RecordedCall.start(
                store,
                drill.trainee_ids[seats.agent],
                call,
                mode="drill",
                lang="zh",
                library=library.scenarios.values(),
            )
            skill = 40 + rng.pick(0, 60, "skill", seats.agent)  # percent of best replies
            turn = 0
            while not call.finished and turn < 60:
                turn += 1
                state = sc.states[call.state]
                if rng.pick(seed, 100, "best", seats.agent, sid, str(turn)) < skill:
                    recorded.reply(plot.best_choice(state).id)
                else:
                    pick = rng.pick(seed, len(call.choices), "any", seats.agent, str(turn))
                    recorded.reply(call.choices[pick].id)
            engine = store.attempt(recorded.attempt.id, with_turns=False)
            assert engine is not None and engine.status == "finished"
            dims = _engine_dims(store, recorded.attempt.id)
            bias = observer_bias(seats.observer)
            sheet = ObserverSheet(
                {d: max(1, min(5, round(dims[d] / 6.25) + 1 + bias)) for d in DIMENSIONS},
                {"emotion": "语气平稳", "solution": "方案清楚", "phrasing": "用语规范"},
                "整体不错" if bias >= 0 else "=需要加强开场",
            )
            over = rng.pick(seed, 4, "over", seats.agent, str(seats.number)) == 0
            timings = [
                PhaseTiming(PREPARE, plan.prepare, 240_000),
                PhaseTiming(ROLEPLAY, plan.roleplay, 660_000 if over else 540_000),
                PhaseTiming(FEEDBACK, plan.feedback, 170_000),
            ]
            save_round(
                store,
                drill,
                seats,
                sid,
                attempt_id=recorded.attempt.id,
                timings=timings,
                sheet=sheet,
            )
        finish_drill(store, drill.id)
    return names


def _engine_dims(store: Store, attempt_id: int) -> dict[str, float]:
    from sqlalchemy import select  # noqa: PLC0415

    from simulator.store.tables import Attempt  # noqa: PLC0415

    with store.engine.connect() as conn:
        row = conn.execute(
            select(*(getattr(Attempt, d) for d in DIMENSIONS)).where(Attempt.id == attempt_id)
        ).one()
    return {d: float(v) for d, v in zip(DIMENSIONS, row, strict=True)}

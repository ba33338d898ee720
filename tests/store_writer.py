"""A separate process that writes attempts to a store: used by the concurrency test.

python -m tests.store_writer URL TRAINEE COUNT
"""

from __future__ import annotations

import sys

from simulator.engine import CallPlot
from simulator.scenario.library import bundled_dir, load_scenario, load_support
from simulator.store.recorder import RecordedCall
from simulator.store.store import Store


def main(url: str, trainee: str, count: int) -> None:
    root = bundled_dir()
    tags, rubric, personas = load_support(root)
    scenario = load_scenario(root / "transfer-four-steps.yaml", tags, personas)
    plot = CallPlot(scenario, tags, rubric)
    with Store(url) as store:
        me = store.trainee(trainee)
        for i in range(count):
            rc = RecordedCall.start(store, me.id, plot.new_call(i), mode="practice", lang="zh")
            rc.reply_number(1 + i % 3)
            rc.save_finished(report={"attempt": i})
    print(f"{trainee}: {count} attempts")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))

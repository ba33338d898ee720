"""`calldrill class report` on a seeded class: 30 trainees in groups of three, six
rounds each, written through the store API (tests/drill_class.py)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from simulator.report.class_summary import BIAS_LIMIT, summarise
from simulator.scenario.library import Library
from simulator.scenario.model import DIMENSIONS
from simulator.store.drills import ObserverSheet, class_rounds, skill_totals, to_engine_scale
from simulator.store.store import Store
from tests.conftest import run_cli
from tests.drill_class import HOSTILE, class_names, observer_bias, seed_class

CLASS = "2026春季一班"


@pytest.fixture(scope="module")
def seeded(library: Library, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('class') / 'class.sqlite3'}"
    with Store(url) as store:
        seed_class(store, library, trainees=30, rounds=6, class_name=CLASS)
        # Another class, which --class leaves out.
        seed_class(store, library, trainees=3, rounds=1, class_name="other", seed=2)
    return url


def test_the_sheet_maps_onto_the_engine_scale() -> None:
    assert [to_engine_scale(s) for s in range(1, 6)] == [0, 6.25, 12.5, 18.75, 25]
    with pytest.raises(ValueError, match="from 1 to 5"):
        ObserverSheet(dict.fromkeys(DIMENSIONS, 6))
    with pytest.raises(ValueError, match="no score for"):
        ObserverSheet({"expression": 3})
    with pytest.raises(ValueError, match="focus point"):
        ObserverSheet(dict.fromkeys(DIMENSIONS, 3), {"tone": "x"})


def test_the_summary_of_thirty_trainees_by_six_rounds(seeded: str) -> None:
    with Store(seeded) as store:
        rounds = class_rounds(store, CLASS)
        skills = skill_totals(store, [r.attempt_id for r in rounds if r.attempt_id])
    assert len(rounds) == 60
    s = summarise(rounds, skills, CLASS)
    assert (s.rounds, s.drills, len(s.trainees), len(s.groups)) == (60, 10, 30, 10)
    for row in s.trainees:
        assert (row.as_agent, row.as_customer, row.as_observer) == (2, 2, 2), row.name
        mine = [r for r in rounds if r.agent == row.name]
        totals = [r.engine_total for r in mine if r.engine_total is not None]
        assert row.engine_mean == round(sum(totals) / len(totals), 1)
        assert len(row.weakest) <= 3
        for _, hits, chances in row.weakest:
            assert hits < chances
    assert sum(x.rounds for x in s.scenarios) == 60
    assert len(s.calibration) == 30
    for cal in s.calibration:
        assert cal.sheets == 2 and len(cal.diffs) == 2 * len(DIMENSIONS)
        bias = observer_bias(cal.observer)
        if cal.verdict == "too_kind":
            assert bias == 1, cal.observer
        if cal.verdict == "too_harsh":
            assert bias == -1, cal.observer
        if bias == 0:
            # Rounding to the nearest sheet step is off by half a step at most.
            assert cal.verdict == "fair" and abs(cal.bias or 0) <= BIAS_LIMIT
    assert {c.verdict for c in s.calibration} == {"too_kind", "too_harsh", "fair"}


def test_class_report_markdown(seeded: str) -> None:
    result = run_cli("class", "report", "--class", CLASS, "--db", seeded)
    assert result.returncode == 0, result.stderr
    md = result.stdout
    assert md.startswith("# Class drill report\n")
    assert f"Class: {CLASS}" in md and "10 drills, 60 rounds" in md
    for heading in ("Per trainee", "Per group", "Per scenario", "Observer calibration"):
        assert f"## {heading}" in md
    assert "\\(score − 1\\) × 6.25" in md, "the mapping is stated"
    trainee_rows = [ln for ln in md.splitlines() if ln.startswith("| ") and " | 2 | 2 | 2 |" in ln]
    assert len(trainee_rows) == 30
    assert "<script>" not in md and "\\<script\\>" in md, "names are escaped"
    assert "other" not in md.split("## Per group")[1].split("## Per scenario")[0]


def test_class_report_html_is_self_contained_with_charts(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "class.html"
    result = run_cli(
        "class", "report", "--class", CLASS, "--format", "html", "-o", str(out), "--db", seeded
    )
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>")
    assert page.count("<svg") == 4
    assert "<script" not in page and "&lt;script&gt;" in page
    links = re.findall(r"(?:src|href)=", page)
    assert links == [], "nothing is loaded from elsewhere"
    assert re.findall(r"https?://[^\"]+", page) == ["http://www.w3.org/2000/svg"] * 4


def test_class_report_csv_one_row_per_round(seeded: str) -> None:
    result = run_cli("class", "report", "--format", "csv", "--db", seeded)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 61  # both classes
    ours = [r for r in rows if r["class"] == CLASS]
    assert len(ours) == 60
    first = ours[0]
    assert first["agent"].startswith(HOSTILE[:8]) or first["agent"] in class_names(30)
    harsh = [r for r in ours if r["note"]]
    assert all(not r["note"].startswith("=") for r in harsh), "no cell starts a formula"
    assert any(r["note"] == "'=需要加强开场" for r in harsh)
    for r in ours:
        assert float(r["sheet_total_0_100"]) == sum(
            to_engine_scale(int(r[f"sheet_{d}"])) for d in DIMENSIONS
        )


def test_an_unknown_class_is_a_clear_error(seeded: str) -> None:
    result = run_cli("class", "report", "--class", "nope", "--db", seeded)
    assert result.returncode == 2
    assert "no class called 'nope'" in result.stderr and "Traceback" not in result.stderr


def test_drill_needs_a_terminal() -> None:
    result = run_cli("drill")
    assert result.returncode == 2
    assert "start it in a terminal" in result.stderr and "Traceback" not in result.stderr


async def test_the_class_report_screen(
    seeded: str, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DataTable, Select  # noqa: PLC0415

    from simulator.store.profile import remember  # noqa: PLC0415
    from simulator.tui.app import CalldrillApp  # noqa: PLC0415
    from simulator.tui.screens.drill_class_report import ClassReportScreen  # noqa: PLC0415

    monkeypatch.setenv("CALLDRILL_CONFIG", str(tmp_path / "config"))
    remember(class_names(30)[1])
    app = CalldrillApp(library, "en", seed=1, still=True, store_url=seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if app.trainee is not None:
                break
            await pilot.pause(0.05)
        app.push_screen(ClassReportScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassReportScreen)
        # The other class's three are the first group of this one: same people.
        assert screen.query_one("#class-trainees", DataTable).row_count == 30
        assert screen.query_one("#class-calibration", DataTable).row_count == 30
        assert "11 drills, 61 rounds" in str(screen.query_one("#class-report-counts").render())
        screen.query_one("#class-report-class", Select).value = CLASS
        await pilot.pause()
        await pilot.pause()
        counts = str(app.screen.query_one("#class-report-counts").render())
        assert "10 drills, 60 rounds" in counts
        assert app.screen.query_one("#class-groups", DataTable).row_count == 10
        assert app.is_running


def test_drill_rounds_on_sqlite_and_postgresql(db_url: str, library: Library) -> None:
    with Store(db_url) as store:
        seed_class(store, library, trainees=3, rounds=2, class_name="pg")
        rounds = class_rounds(store, "pg")
    assert [(r.number, r.agent) for r in rounds] == [(1, class_names(3)[0]), (2, class_names(3)[1])]
    assert all(r.sheet is not None and r.engine is not None for r in rounds)
    assert rounds[0].sheet is not None and rounds[0].sheet.note in ("整体不错", "=需要加强开场")

"""Exports (CSV, JSONL, xAPI 1.0.3), posting to a local LRS that fails once, and import."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest

from simulator.engine import CallPlot
from simulator.report import xapi
from simulator.report.lrs import post_statements
from simulator.scenario.library import Library
from simulator.store.merge import merge
from simulator.store.recorder import RecordedCall
from simulator.store.records import iter_records
from simulator.store.store import Store
from tests.conftest import best_pick, run_cli

DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _fill(store: Store, library: Library) -> None:
    """Two trainees: one finished (best path), one finished badly, one left open."""
    for name, sid, seed, good in [
        ("王小明", "angry-delivery", 3, True),
        ("=SUM(A1)", "privacy-trap", 1, False),
    ]:
        me = store.trainee(name, group="A班")
        plot = CallPlot(library.scenarios[sid], library.tags, library.rubric)
        rc = RecordedCall.start(store, me.id, plot.new_call(seed), mode="practice", lang="zh")
        while not rc.call.finished:
            if good:
                rc.reply(best_pick(rc.call))
            else:
                rc.reply_number(len(rc.call.choices))
        extra = RecordedCall.start(store, me.id, plot.new_call(seed + 1), mode="exam", lang="en")
        extra.reply_number(1)


@pytest.fixture
def store(tmp_path: Path, library: Library) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'store.sqlite3'}") as s:
        _fill(s, library)
        yield s


def check_statement(st: dict[str, Any]) -> None:
    """The xAPI 1.0.3 rules a statement from calldrill must keep."""
    assert uuid.UUID(st["id"]).version == 5
    actor = st["actor"]
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    assert ifis == ["account"] and actor["objectType"] == "Agent"
    assert urlsplit(actor["account"]["homePage"]).scheme in ("http", "https")
    assert actor["account"]["name"]
    assert IRI.match(st["verb"]["id"]) and st["verb"]["id"].startswith("http://adlnet.gov/")
    assert all(LANG_TAG.match(k) for k in st["verb"]["display"])
    obj = st["object"]
    assert obj["objectType"] == "Activity" and IRI.match(obj["id"])
    assert IRI.match(obj["definition"]["type"])
    result = st["result"]
    score = result.get("score", {})
    if "scaled" in score:
        assert -1 <= score["scaled"] <= 1
    if "min" in score or "max" in score:
        assert score["min"] < score["max"] and score["min"] <= score["raw"] <= score["max"]
    assert DURATION.match(result["duration"]), result["duration"]
    assert all(IRI.match(k) for k in result.get("extensions", {}))
    ctx = st["context"]
    assert uuid.UUID(ctx["registration"])
    assert LANG_TAG.match(ctx["language"])
    assert all(IRI.match(k) for k in ctx["extensions"])
    assert TIMESTAMP.match(st["timestamp"]), st["timestamp"]


def test_xapi_statements_follow_the_rules_and_are_stable(store: Store) -> None:
    sts = list(xapi.statements(iter_records(store)))
    for st in sts:
        check_statement(st)
    verbs = [st["verb"]["id"].rsplit("/", 1)[1] for st in sts]
    turns = sum(len(r["turns"]) for r in iter_records(store))
    assert verbs.count("answered") == turns
    assert verbs.count("completed") == 2  # the open attempts have no completion
    assert verbs.count("passed") == 1 and verbs.count("failed") == 1
    assert len({st["id"] for st in sts}) == len(sts)
    again = list(xapi.statements(iter_records(store)))
    assert [st["id"] for st in again] == [st["id"] for st in sts]
    done = next(st for st in sts if st["verb"]["id"].endswith("/passed"))
    assert done["result"]["success"] is True and done["result"]["score"]["raw"] >= 80


@pytest.mark.parametrize(
    ("ms", "text"), [(0, "PT0S"), (65_250, "PT1M5.25S"), (3_600_000, "PT1H"), (999, "PT0.999S")]
)
def test_iso8601_durations(ms: int, text: str) -> None:
    assert xapi.duration(ms) == text


class _LRS(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]]
    requests: ClassVar[list[tuple[str, dict[str, str]]]]
    fail_next = 1

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests.append((self.command, {k.lower(): v for k, v in self.headers.items()}))
        if type(self).fail_next:
            type(self).fail_next -= 1
            self.send_response(503)
            self.end_headers()
            return
        if self.headers.get("X-Experience-API-Version") != "1.0.3":
            self.send_response(400)
            self.end_headers()
            return
        if self.headers.get("Authorization") != "Basic dHJhaW5lcjpzM2NyZXQ=":
            self.send_response(401)
            self.end_headers()
            return
        batch = json.loads(body)
        known = {st["id"] for st in type(self).received}
        if any(st["id"] in known for st in batch):
            self.send_response(409)
            self.end_headers()
            return
        type(self).received.extend(batch)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps([st["id"] for st in batch]).encode())

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests.append((self.command, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(409)  # every statement is there already
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_posting_to_an_lrs_that_fails_once(store: Store) -> None:
    class handler(_LRS):
        received: ClassVar[list[dict[str, Any]]] = []
        requests: ClassVar[list[tuple[str, dict[str, str]]]] = []
        fail_next = 1

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/xapi/"
        sts = list(xapi.statements(iter_records(store)))
        result = post_statements(url, sts, user="trainer", password="s3cret", sleep=lambda s: None)
        assert result.retries == 1 and result.sent == len(sts)
        assert sorted(st["id"] for st in handler.received) == sorted(st["id"] for st in sts)
        # Sent again: nothing is stored twice, the duplicates are confirmed one by one.
        post_statements(url, sts, user="trainer", password="s3cret", sleep=lambda s: None)
        assert len(handler.received) == len(sts)
        assert sum(1 for method, _ in handler.requests if method == "PUT") == len(sts)
        assert all(h.get("x-experience-api-version") == "1.0.3" for _, h in handler.requests)
    finally:
        server.shutdown()
        server.server_close()


def test_csv_exports_are_safe_for_spreadsheets(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "attempts.csv"
    result = run_cli("export", "--db", str(store.url.removeprefix("sqlite:///")), "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 4
    assert {r["trainee"] for r in rows} == {"王小明", "'=SUM(A1)"}
    assert {r["status"] for r in rows} == {"finished", "open"}
    turns = run_cli("export", "--db", store.url, "--turns", "--trainee", "王小明")
    turn_rows = list(csv.DictReader(io.StringIO(turns.stdout)))
    assert turn_rows and all(r["trainee"] == "王小明" for r in turn_rows)
    assert [r["turn"] for r in turn_rows][:2] == ["1", "2"]
    assert len({r["attempt"] for r in turn_rows}) == 2
    assert run_cli("export", "--db", store.url, "--trainee", "nobody").returncode == 2


def test_import_merges_without_duplicates(store: Store, tmp_path: Path) -> None:
    records = list(iter_records(store))
    with Store(f"sqlite:///{tmp_path / 'laptop.sqlite3'}") as other:
        first = merge(other, records)
        assert (first.added, first.skipped) == (4, 0)
        second = merge(other, records)
        assert (second.added, second.skipped) == (0, 4)
        assert other.count_attempts() == 4
        mine = list(iter_records(other))
        assert [(r["uid"], len(r["turns"]), r["total"]) for r in mine] == [
            (r["uid"], len(r["turns"]), r["total"]) for r in records
        ]
    # An attempt open here but finished in the file is replaced by the finished one.
    with Store(f"sqlite:///{tmp_path / 'third.sqlite3'}") as third:
        opened = [dict(r, status="open", total=None, turns=r["turns"][:1]) for r in records]
        merge(third, opened)
        result = merge(third, records)
        assert result.replaced == 2 and result.skipped == 2


def test_import_names_the_broken_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": 1}\n[not json\n', encoding="utf-8")
    db = str(tmp_path / "x.sqlite3")
    result = run_cli("import", "--db", db, str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{bad}:1: the record lacks" in result.stderr

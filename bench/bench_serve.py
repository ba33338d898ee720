"""Browser seats (`make bench`): memory and start-up per served session.

Starts `calldrill serve` on a free loopback port with a fresh store, then opens SESSIONS
WebSocket sessions at once with an aiohttp client, as a room of trainees arriving together,
and waits until each app has drawn its first screen (the profile prompt: the store is open
and the app takes keys). Reports the start-up time per session (alone, then all at once), and
the memory of the per-session app processes: RSS, and PSS (shared pages split between the
processes that share them, so the sum is what the machine really spends). Asserts nothing.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from simulator.i18n import t

SESSIONS = 30
ALONE = 3
ROOT = Path(__file__).resolve().parent.parent
# The profile prompt's first words as the app writes them (a run of one style, so unbroken).
READY = t("zh", "profile_title")[:4].encode("utf-8")


def _start_server(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    env = {**os.environ, "CALLDRILL_CONFIG": str(folder / "config")}
    # A file, not a pipe: the server also copies the apps' error output there, and a pipe
    # nobody reads would fill and stall it.
    log = folder / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "simulator",
                "--db",
                str(folder / "seats.sqlite3"),
                "serve",
                "--port",
                "0",
                "--max-sessions",
                str(SESSIONS + 5),
                "--lang",
                "zh",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
    for _ in range(600):
        found = re.search(r"127\.0\.0\.1:(\d+)", log.read_text("utf-8", "replace"))
        if found:
            return server, int(found.group(1))
        time.sleep(0.05)
    raise RuntimeError("the server printed no address")


async def _session(
    session: aiohttp.ClientSession, base: str, ready: asyncio.Event
) -> tuple[float, float, aiohttp.ClientWebSocketResponse]:
    """Seconds to the first paint and to the profile prompt; the socket stays open."""
    start = time.perf_counter()
    ws = await session.ws_connect(f"{base}/ws?width=120&height=36", headers={"Origin": base})
    first = 0.0
    seen = b""
    async for message in ws:
        if message.type != aiohttp.WSMsgType.BINARY:
            continue
        if not first:
            first = time.perf_counter() - start
        # Raw bytes and a short carry-over: decoding and stripping every frame of 30 seats
        # would make this client, not the seats, the slow part.
        seen = seen[-64:] + message.data
        if READY in seen:
            ready.set()
            return first, time.perf_counter() - start, ws
    raise RuntimeError(f"a session closed before its first screen: {ws.close_code}")


def _children(pid: int) -> list[int]:
    """Every process below ``pid`` (textual-serve starts each app through a shell)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1])
        elif line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _app_processes(server_pid: int) -> list[int]:
    apps = []
    for pid in _children(server_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"simulator" in cmdline and b"python" in cmdline[0]:
            apps.append(pid)
    return apps


async def _drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    """Keep reading an open seat, as a browser does: that also answers the server's pings."""
    async for _ in ws:
        pass


async def _bench(base: str, server_pid: int) -> None:
    async with aiohttp.ClientSession() as session:
        alone = []
        for _ in range(ALONE):
            _, ready_s, ws = await _session(session, base, asyncio.Event())
            alone.append(ready_s)
            await ws.close()
            await asyncio.sleep(1.0)
        print(f"one session alone: ready in {statistics.median(alone):.2f} s (median of {ALONE})")

        began = time.perf_counter()
        drains: list[asyncio.Task[None]] = []

        async def seat() -> tuple[float, float, aiohttp.ClientWebSocketResponse]:
            result = await _session(session, base, asyncio.Event())
            drains.append(asyncio.create_task(_drain(result[2])))
            return result

        results = await asyncio.gather(*(seat() for _ in range(SESSIONS)))
        wall = time.perf_counter() - began
        firsts = sorted(r[0] for r in results)
        readies = sorted(r[1] for r in results)
        print(
            f"{SESSIONS} sessions at once: all ready after {wall:.1f} s; per session "
            f"first paint median {statistics.median(firsts):.2f} s, ready median "
            f"{statistics.median(readies):.2f} s, slowest {readies[-1]:.2f} s"
        )
        apps = _app_processes(server_pid)
        cpu = [_cpu_seconds(pid) for pid in apps]
        cores = os.cpu_count() or 1
        # CPU, unlike wall time, does not depend on what else the machine is doing.
        print(
            f"CPU per seat to its first screen: median {statistics.median(cpu):.2f} s; "
            f"{len(cpu)} seats need {sum(cpu):.0f} CPU-s, about {sum(cpu) / cores:.0f} s "
            f"of wall time on {cores} otherwise idle cores"
        )
        await asyncio.sleep(2.0)
        memory = [_memory_kib(pid) for pid in apps]
        rss = [m[0] / 1024 for m in memory]
        pss = [m[1] / 1024 for m in memory]
        server_rss, _ = _memory_kib(server_pid)
        print(
            f"{len(apps)} app processes: RSS {statistics.mean(rss):.0f} MiB each "
            f"(min {min(rss):.0f}, max {max(rss):.0f}), PSS {statistics.mean(pss):.0f} MiB each, "
            f"{sum(pss):.0f} MiB in all; server {server_rss / 1024:.0f} MiB"
        )
        for _, _, ws in results:
            await ws.close()
        await asyncio.gather(*drains)


def main() -> None:
    load = os.getloadavg()[0]
    print(f"calldrill serve: {SESSIONS} sessions on {os.cpu_count()} cores (load {load:.1f})")
    with tempfile.TemporaryDirectory(prefix="calldrill-bench-serve-") as folder:
        server, port = _start_server(Path(folder))
        try:
            asyncio.run(_bench(f"http://127.0.0.1:{port}", server.pid))
        finally:
            tail = (Path(folder) / "serve.log").read_text("utf-8", "replace")[-2000:]
            if tail.count("\n") > 4:
                print("server output (end):", tail, sep="\n")
            server.terminate()
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()

"""A small Chrome DevTools Protocol client over aiohttp's WebSocket: enough to open a page,
press keys, read the page and take a screenshot in headless Chromium."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Keys the app is driven with: DOM key name, Windows virtual key code, text typed.
SPECIAL = {
    "enter": ("Enter", 13, "\r"),
    "escape": ("Escape", 27, ""),
    "space": (" ", 32, " "),
}


# Escape sequences and control characters, taken out of the terminal output to leave its text.
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.|[\x00-\x1f]")


class Page:
    """One page. With ``Network.enable`` sent, it keeps what the page's WebSockets received:
    for a textual-serve page that is the app's terminal output, so a test can read the screen."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.frames: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self._ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if data.get("method") == "Network.webSocketFrameReceived":
                self._frame(data["params"]["response"])
                continue
            future = self._waiting.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)

    def _frame(self, response: dict[str, Any]) -> None:
        payload = response.get("payloadData", "")
        if response.get("opcode") == 2:
            payload = base64.b64decode(payload).decode("utf-8", "replace")
        self.frames.append(ANSI.sub("", payload))

    def mark(self) -> int:
        """A place in the output: ``wait_for_text`` after it looks at what came later."""
        return len(self.frames)

    async def wait_for_text(self, text: str, since: int = 0, timeout: float = 30.0) -> bool:
        """Wait until the screen output after ``since`` shows ``text`` (spaces ignored, since
        the terminal pads and positions words); False when it does not within ``timeout``."""
        needle = re.sub(r"\s+", "", text)
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            if needle in re.sub(r"\s+", "", "".join(self.frames[since:])):
                return True
            if loop.time() > end:
                return False
            await asyncio.sleep(0.1)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[call_id] = future
        await self._ws.send_json({"id": call_id, "method": method, "params": params})
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    async def evaluate(self, expression: str) -> Any:
        reply = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return reply.get("result", {}).get("value")

    async def key(self, name: str) -> None:
        if name in SPECIAL:
            key, code, text = SPECIAL[name]
        else:
            key, code, text = name, ord(name.upper()) if name.isalnum() else 0, name
        down: dict[str, Any] = {"type": "keyDown", "key": key, "windowsVirtualKeyCode": code}
        if text:
            down["text"] = text
        await self.send("Input.dispatchKeyEvent", **down)
        await self.send("Input.dispatchKeyEvent", type="keyUp", key=key, windowsVirtualKeyCode=code)

    async def type(self, text: str) -> None:
        for char in text:
            await self.key(char)

    async def screenshot(self, path: Path) -> None:
        reply = await self.send("Page.captureScreenshot", format="png")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(reply["data"]))

    async def close(self) -> None:
        self._reader.cancel()
        await self._ws.close()


@asynccontextmanager
async def chromium(binary: str, *, width: int = 1280, height: int = 800) -> AsyncIterator[Page]:
    """Headless Chromium with one blank page, driven over the DevTools WebSocket."""
    with tempfile.TemporaryDirectory(prefix="calldrill-chromium-") as profile:
        process = subprocess.Popen(
            [
                binary,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            for _ in range(300):
                if port_file.is_file() and port_file.read_text().strip():
                    break
                await asyncio.sleep(0.1)
            port = int(port_file.read_text().split()[0])
            async with aiohttp.ClientSession() as session:
                async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = await response.json()
                url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
                ws = await session.ws_connect(url, max_msg_size=64 * 1024 * 1024)
                page = Page(ws)
                try:
                    yield page
                finally:
                    await page.close()
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

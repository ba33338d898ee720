"""Posting xAPI statements to a Learning Record Store, safely retried.

Statements go in batches to ``<endpoint>/statements`` with Basic auth and the
``X-Experience-API-Version`` header. Their ids are stable, so a batch retried after a
failure (a 5xx, a dropped connection) cannot be stored twice; a 409 for a batch means
some statements are there already, and the batch is sent again one statement at a time
by PUT, where a 409 or 204 both mean "stored".
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from simulator.report.xapi import XAPI_VERSION

RETRIES = 4
BATCH = 100


class LRSError(Exception):
    """The LRS refused the statements or stayed unreachable; the message says which."""


@dataclass
class PostResult:
    sent: int = 0
    batches: int = 0
    retries: int = 0


def _auth_header(user: str | None, password: str | None) -> dict[str, str]:
    if user is None:
        return {}
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def post_statements(
    endpoint: str,
    statements: Iterable[dict[str, Any]],
    *,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> PostResult:
    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise LRSError(f"--lrs {endpoint}: give the LRS endpoint as http(s)://host/path")
    if parsed.username and user is None:
        user, password = (
            urllib.parse.unquote(parsed.username),
            urllib.parse.unquote(parsed.password or ""),
        )
        netloc = parsed.hostname or ""
        if parsed.port:
            netloc += f":{parsed.port}"
        parsed = parsed._replace(netloc=netloc)
    base = urllib.parse.urlunsplit(parsed).rstrip("/") + "/statements"
    headers = {
        "Content-Type": "application/json",
        "X-Experience-API-Version": XAPI_VERSION,
        **_auth_header(user, password),
    }
    result = PostResult()
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        if not batch:
            return
        status = _send(base, "POST", batch, headers, timeout, sleep, result)
        if status == 409:
            for st in batch:
                url = f"{base}?statementId={urllib.parse.quote(st['id'])}"
                _send(url, "PUT", st, headers, timeout, sleep, result)
        result.sent += len(batch)
        result.batches += 1
        batch.clear()

    for st in statements:
        batch.append(st)
        if len(batch) >= BATCH:
            flush()
    flush()
    return result


def _send(
    url: str,
    method: str,
    body: object,
    headers: dict[str, str],
    timeout: float,
    sleep: Callable[[float], None],
    result: PostResult,
) -> int:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    last = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            result.retries += 1
            sleep(min(8.0, 0.5 * 2 ** (attempt - 1)))
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as exc:
            if exc.code == 409:
                return 409
            if exc.code in (401, 403):
                raise LRSError(f"the LRS refused the credentials ({exc.code})") from None
            if exc.code < 500 and exc.code != 429:
                detail = exc.read(500).decode("utf-8", "replace")
                raise LRSError(f"the LRS rejected the statements ({exc.code}): {detail}") from None
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            last = str(getattr(exc, "reason", exc))
    raise LRSError(f"the LRS did not take the statements after {RETRIES + 1} tries ({last})")

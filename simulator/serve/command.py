"""``calldrill serve``: check the options, build the app command, print the link, serve."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TextIO

from simulator.i18n import t
from simulator.scenario.model import Lang
from simulator.serve.guard import TOKEN_RE, Policy, is_loopback, new_token

MAX_SESSIONS_LIMIT = 1000


class ServeUsageError(Exception):
    """A bad option: the message, exit status 2."""


def app_command(args: argparse.Namespace, lang: Lang) -> str:
    """The normal calldrill app, with this server's --lang, --db and --scenarios.

    textual-serve runs it through a shell: every part is quoted, and ``exec`` has the app take
    the shell's place, so the process the server waits for (and kills if need be) is the app."""
    parts = [sys.executable, "-m", "simulator", "--lang", lang]
    if args.db:
        parts += ["--db", args.db]
    for folder in args.scenarios:
        parts += ["--scenarios", str(Path(folder).resolve())]
    return "exec " + shlex.join(parts)


def policy_for(args: argparse.Namespace, lang: Lang) -> Policy:
    if not 0 <= args.port <= 65535:
        raise ServeUsageError(t(lang, "serve_bad_port"))
    if not 1 <= args.max_sessions <= MAX_SESSIONS_LIMIT:
        raise ServeUsageError(t(lang, "serve_bad_sessions"))
    if args.token is not None and not TOKEN_RE.fullmatch(args.token):
        raise ServeUsageError(t(lang, "serve_bad_token"))
    loopback = is_loopback(args.host)
    token = args.token if args.token is not None or loopback else new_token()
    return Policy(port=args.port, loopback=loopback, token=token)


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def cmd_serve(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    try:
        return _serve(args, lang, out)
    except ServeUsageError as exc:
        print(f"calldrill: {exc}", file=sys.stderr)
        return 2


def _serve(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.serve.server import SeatServer  # noqa: PLC0415

    for folder in args.scenarios:
        if not Path(folder).is_dir():
            raise ServeUsageError(f"--scenarios {folder}: no such folder")
    policy = policy_for(args, lang)
    server = SeatServer(
        app_command(args, lang),
        host=args.host,
        port=args.port,
        policy=policy,
        max_sessions=args.max_sessions,
        lang=lang,
    )

    def ready(port: int) -> None:
        # The policy was made before the port was known (--port 0 picks one).
        server.policy = Policy(port=port, loopback=policy.loopback, token=policy.token)
        url = _url(args.host, port)
        print(t(lang, "serve_listening", url=url), file=out)
        if policy.token is not None:
            print(t(lang, "serve_open", url=f"{url}?token={policy.token}"), file=out)
            print(t(lang, "serve_token_note", token=policy.token), file=out)
        print(t(lang, "serve_seats", n=args.max_sessions), file=out, flush=True)

    try:
        server.run(ready)
    except OSError as exc:
        raise ServeUsageError(
            t(lang, "serve_cannot_bind", host=args.host, port=args.port, why=exc.strerror or exc)
        ) from exc
    return 0

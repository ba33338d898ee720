"""The HTML the server sends: the terminal page and the refusal page. Every value from the request
is escaped; the pages load nothing from outside this server."""

from __future__ import annotations

import html

from simulator.i18n import t
from simulator.scenario.model import Lang

# Scripts and styles from this server only: the page is where a trainee types, so no other site
# may frame it, and textual.js may open no connection elsewhere (it fetches a "?ping=" URL).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

_TERMINAL = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>calldrill</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<style>
@font-face {{ font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf"); }}
html, body {{ margin: 0; height: 100%; background: #0c181f; }}
#terminal {{ position: absolute; inset: 0; }}
.notice {{ display: none; position: absolute; inset: 0; z-index: 10; align-items: center;
  justify-content: center; color: #eee; font: 16px "Roboto Mono", monospace; }}
.notice a {{ color: #ac5af4; margin-left: 1em; }}
body.-closed .notice {{ display: flex; background: #0c181f; }}
</style>
</head>
<body>
<div class="notice"><span>{ended}</span><a href="/">{restart}</a></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{ws_url}"
  data-font-size="{font_size}"></div>
</body>
</html>
"""

_REFUSED = """<!DOCTYPE html>
<html lang="zh">
<head><meta charset="utf-8"><title>calldrill</title></head>
<body>
<p>{zh}</p>
<p lang="en">{en}</p>
</body>
</html>
"""


def terminal_page(ws_url: str, font_size: int, lang: Lang) -> str:
    ended, restart = t(lang, "serve_ended"), t(lang, "serve_restart")
    return _TERMINAL.format(
        lang=html.escape(lang),
        ws_url=html.escape(ws_url, quote=True),
        font_size=int(font_size),
        ended=html.escape(ended),
        restart=html.escape(restart),
    )


def refused_page() -> str:
    return _REFUSED.format(
        zh=html.escape(t("zh", "serve_need_token")), en=html.escape(t("en", "serve_need_token"))
    )

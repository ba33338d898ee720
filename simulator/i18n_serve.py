"""UI strings of ``calldrill serve`` (browser seats), merged into simulator.i18n.STRINGS."""

from __future__ import annotations

SERVE_STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "serve_listening": "calldrill 浏览器座席已启动：{url}",
        "serve_open": "请在浏览器中打开：{url}",
        "serve_token_note": "访问令牌：{token}（链接中已包含；仅发给本班学员）",
        "serve_seats": "最多同时 {n} 个会话。按 Ctrl+C 停止。",
        "serve_bad_token": "--token 须为 16–128 个字符，只能包含字母、数字、- 和 _",
        "serve_bad_port": "--port 须在 0–65535 之间",
        "serve_bad_sessions": "--max-sessions 须为 1–1000 之间的整数",
        "serve_cannot_bind": "无法在 {host}:{port} 上监听：{why}",
        "serve_ended": "会话已结束。",
        "serve_restart": "重新开始",
        "serve_need_token": "需要访问令牌：请使用讲师给出的完整链接。",
    },
    "en": {
        "serve_listening": "calldrill browser seats are up: {url}",
        "serve_open": "Open in a browser: {url}",
        "serve_token_note": (
            "Access token: {token} (already in the link; give it to this class only)"
        ),
        "serve_seats": "At most {n} sessions at once. Press Ctrl+C to stop.",
        "serve_bad_token": "--token must be 16–128 characters: letters, digits, - and _ only",
        "serve_bad_port": "--port must be between 0 and 65535",
        "serve_bad_sessions": "--max-sessions must be a whole number from 1 to 1000",
        "serve_cannot_bind": "cannot listen on {host}:{port}: {why}",
        "serve_ended": "Session ended.",
        "serve_restart": "Start again",
        "serve_need_token": (
            "An access token is needed: open the full link your instructor gave you."
        ),
    },
}

"""The rules a request must pass before it gets a seat: pure functions, no web framework, so the
policy can be read and tested on its own."""

from __future__ import annotations

import hmac
import ipaddress
import math
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

# A browser may ask for any size; an app process drawing 10,000 columns costs the whole room.
MAX_WIDTH, MAX_HEIGHT = 300, 100
MIN_WIDTH, MIN_HEIGHT = 20, 8
DEFAULT_WIDTH, DEFAULT_HEIGHT = 80, 24

# Tokens go into a URL and a cookie: URL-safe characters only, and long enough not to guess.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,128}")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# A DNS name, an IPv4 address or (urlsplit has taken the brackets off) an IPv6 address.
HOSTNAME_RE = re.compile(r"[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:.]{2,45}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time compare; bytes, so that non-ASCII input cannot raise instead of failing."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (``localhost`` counts)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _int(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e9:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
        return int(value)
    return default


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """The terminal size a client asked for, as numbers within the seat's bounds."""
    w = _int(width, DEFAULT_WIDTH)
    h = _int(height, DEFAULT_HEIGHT)
    return min(max(w, MIN_WIDTH), MAX_WIDTH), min(max(h, MIN_HEIGHT), MAX_HEIGHT)


def _split_host(netloc: str) -> tuple[str, int | None] | None:
    """``host[:port]`` as (lower-case host, port); None when it is not a well-formed netloc."""
    if not netloc or any(c in netloc for c in "/?#@ \t\r\n\\"):
        return None
    try:
        parts = urlsplit(f"//{netloc}")
        port = parts.port
    except ValueError:
        return None
    if parts.hostname is None or not HOSTNAME_RE.fullmatch(parts.hostname):
        return None
    return parts.hostname.lower(), port


@dataclass(frozen=True)
class Policy:
    """What the server was started with: its own port, whether it is bound to loopback only, and
    the token (None: none asked for, allowed on loopback only)."""

    port: int
    loopback: bool
    token: str | None

    def host_ok(self, host_header: str | None) -> bool:
        """On loopback only loopback names are served, so a page whose DNS name was rebound to
        127.0.0.1 gets nothing; elsewhere the token does that job."""
        if host_header is None:
            return False
        split = _split_host(host_header)
        if split is None:
            return False
        name, port = split
        if not self.loopback:
            return True
        return name in LOOPBACK_NAMES and port in (None, self.port)

    def origin_ok(self, origin: str | None, host_header: str | None) -> bool:
        """A WebSocket handshake must come from a page of this server: its Origin names the host
        and port the request was sent to. No Origin (not a browser page) is refused too."""
        if origin is None or host_header is None or not self.host_ok(host_header):
            return False
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or parts.path or parts.query:
            return False
        origin_host = _split_host(parts.netloc)
        request_host = _split_host(host_header)
        if origin_host is None or request_host is None:
            return False
        default = 443 if parts.scheme == "https" else 80

        def norm(split: tuple[str, int | None]) -> tuple[str, int]:
            return split[0], split[1] if split[1] is not None else default

        return norm(origin_host) == norm(request_host)

    def token_ok(self, *candidates: str | None) -> bool:
        if self.token is None:
            return True
        # Every candidate is compared, so the time taken does not say which one was tried.
        results = [token_matches(c, self.token) for c in candidates]
        return any(results)
